package io.leadplatform.scoring.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.scoring.domain.LeadActivity;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.ScoringModel;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.messaging.ScoringEvents;
import io.leadplatform.scoring.repository.LeadActivityRepository;
import io.leadplatform.scoring.repository.LeadScoreRepository;
import io.leadplatform.scoring.repository.ScoringModelRepository;
import io.leadplatform.scoring.repository.StageTransitionRepository;
import io.leadplatform.scoring.service.engine.Activity;
import io.leadplatform.scoring.service.engine.ScoringEngine;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Use cases: keep a lead's profile and activities, rescore it with the active model when either
 * changes (moving LEAD / RECYCLED → MQL when it qualifies), explain a score at read time.
 */
@ApplicationScoped
public class ScoringService {

    private static final Logger LOG = Logger.getLogger(ScoringService.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final LeadScoreRepository scores;
    private final StageTransitionRepository transitions;
    private final LeadActivityRepository activities;
    private final ScoringModelRepository modelRepository;
    private final ModelCatalog models;
    private final StageChanger stages;
    private final ScoringEvents events;
    private final ObjectMapper mapper;

    public ScoringService(LeadScoreRepository scores, StageTransitionRepository transitions, LeadActivityRepository activities,
                          ScoringModelRepository modelRepository, ModelCatalog models, StageChanger stages,
                          ScoringEvents events, ObjectMapper mapper) {
        this.scores = scores;
        this.transitions = transitions;
        this.activities = activities;
        this.modelRepository = modelRepository;
        this.models = models;
        this.stages = stages;
        this.events = events;
        this.mapper = mapper;
    }

    /** Handles lead.captured / lead.updated inside the consumer's transaction. */
    public Uni<Void> onProfile(IncomingEvent event) {
        Map<String, Object> profile = mapper.convertValue(event.data(), MAP);
        UUID leadId = event.subject();
        Instant now = now();
        return scores.findById(leadId, LockModeType.PESSIMISTIC_WRITE).chain(existing -> {
            boolean isNew = existing == null;
            LeadScore score = isNew ? new LeadScore() : existing;
            score.leadId = leadId;
            score.channel = (String) profile.get("channel");
            score.profile = profile;
            if (!isNew) {
                return rescore(score, now);
            }
            score.stage = Stage.LEAD;
            StageTransition t = new StageTransition();
            t.leadId = leadId;
            t.fromStage = null;
            t.toStage = Stage.LEAD;
            t.reason = "captured via " + profile.getOrDefault("source", "unknown");
            t.actor = "system";
            t.changedAt = now;
            return models.active().chain(model -> {
                apply(score, model, models.engine(model).score(profile, List.of(), now));
                return scores.persist(score);
            })
                    .chain(() -> transitions.persist(t))
                    .chain(() -> events.stageChanged(t, score.channel))
                    // activities may have arrived before the profile
                    .chain(() -> rescore(score, now));
        });
    }

    /** Handles lead.activity (capture or nurturing). */
    public Uni<Void> onActivity(IncomingEvent event) {
        JsonNode d = event.data();
        LeadActivity a = new LeadActivity();
        a.eventId = event.id();
        a.leadId = event.subject();
        a.activityType = d.path("activityType").asText();
        a.occurredAt = Instant.parse(d.path("occurredAt").asText()).truncatedTo(ChronoUnit.MICROS);
        a.url = text(d, "url");
        a.asset = text(d, "asset");
        a.durationSeconds = d.hasNonNull("durationSeconds") ? d.get("durationSeconds").asInt() : null;
        a.bot = d.path("bot").asBoolean(false);
        return record(a);
    }

    /** Handles email.event: opened/clicked score as activities (unless bot), bounced/unsubscribed are negative signals. */
    public Uni<Void> onEmailEvent(IncomingEvent event) {
        JsonNode d = event.data();
        String type = switch (d.path("kind").asText()) {
            case "opened" -> "email_open";
            case "clicked" -> "email_click";
            case "bounced" -> "email_bounce";
            case "unsubscribed" -> "email_unsubscribe";
            default -> null;
        };
        if (type == null) {
            return Uni.createFrom().voidItem();
        }
        LeadActivity a = new LeadActivity();
        a.eventId = event.id();
        a.leadId = event.subject();
        a.activityType = type;
        a.occurredAt = Instant.parse(d.path("occurredAt").asText()).truncatedTo(ChronoUnit.MICROS);
        a.url = text(d, "url");
        a.asset = text(d, "emailId");
        a.bot = d.path("bot").asBoolean(false);
        return record(a);
    }

    private Uni<Void> record(LeadActivity a) {
        return activities.findById(a.eventId)
                .chain(seen -> seen != null ? Uni.createFrom().voidItem() : activities.persist(a).replaceWithVoid())
                // the row lock orders concurrent rescoring of one lead (capture and nurturing topics)
                .chain(() -> scores.findById(a.leadId, LockModeType.PESSIMISTIC_WRITE))
                .chain(score -> {
                    if (score == null) {
                        LOG.debugf("activity %s for lead %s stored; the lead is scored when its profile arrives", a.eventId, a.leadId);
                        return Uni.createFrom().voidItem();
                    }
                    return rescore(score, now());
                });
    }

    /** Rescores a lead with the active model (inside a transaction), emits lead.scored, and moves it to MQL when it qualifies. */
    public Uni<Void> rescore(LeadScore score, Instant now) {
        return models.active().chain(model -> activities.ofLead(score.leadId).chain(list -> {
            ScoringEngine.Score s = models.engine(model).score(score.profile, list.stream().map(LeadActivity::toActivity).toList(), now);
            apply(score, model, s);
            Uni<?> staged = Uni.createFrom().voidItem();
            if (s.mql().mql() && (score.stage == Stage.LEAD || score.stage == Stage.RECYCLED)) {
                staged = stages.move(score, Stage.MQL, "qualified by model " + model.label() + ": " + s.mql().reason(), "system", now);
            }
            return staged.chain(() -> events.scored(score)).replaceWithVoid();
        }));
    }

    static void apply(LeadScore score, ScoringModel model, ScoringEngine.Score s) {
        score.fit = s.fit();
        score.grade = s.grade();
        score.engagement = s.engagement();
        score.temperature = s.temperature();
        score.modelId = model.id;
        score.modelVersion = model.label();
        score.mql = s.mql().mql();
        score.mqlReason = s.mql().reason();
        List<LeadScore.Contribution> parts = new ArrayList<>();
        s.fitContributions().forEach(f -> parts.add(new LeadScore.Contribution(f.rule(), "fit", f.points(), f.description())));
        s.engagementContributions().forEach(r -> parts.add(new LeadScore.Contribution(r.rule(), "engagement", r.points(),
                r.description() + " (" + r.events().size() + " events" + (r.capped() ? ", capped" : "") + ")")));
        score.contributions = List.copyOf(parts);
        score.updatedAt = s.scoredAt();
    }

    /** A lead's score explained, engagement decayed exactly to now with the model that scored it. */
    @WithSession
    public Uni<Explanation> explain(UUID leadId) {
        Instant now = now();
        return scores.findById(leadId).onItem().ifNull().failWith(() -> ProblemException.notFound("no score for lead " + leadId))
                .chain(score -> (score.modelId == null ? Uni.createFrom().<ScoringModel>nullItem() : modelRepository.findById(score.modelId))
                        .chain(model -> model != null ? Uni.createFrom().item(model) : models.active())
                        .chain(model -> activities.ofLead(leadId).map(list -> {
                            List<Activity> acts = list.stream().map(LeadActivity::toActivity).toList();
                            ScoringEngine engine = models.engine(model);
                            return new Explanation(score, model, engine.model(), engine.score(score.profile, acts, now));
                        })));
    }

    /** A stored score, the model that made it, and the score recomputed at read time. */
    public record Explanation(LeadScore stored, ScoringModel model, io.leadplatform.scoring.service.engine.ModelDefinition definition,
                              ScoringEngine.Score now) {
    }

    @WithSession
    public Uni<LeadScore> get(UUID leadId) {
        return scores.findById(leadId).onItem().ifNull().failWith(() -> ProblemException.notFound("no score for lead " + leadId));
    }

    @WithSession
    public Uni<List<StageTransition>> history(UUID leadId) {
        return transitions.history(leadId).invoke(list -> {
            if (list.isEmpty()) {
                throw ProblemException.notFound("no stage history for lead " + leadId);
            }
        });
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(JsonNode d, String field) {
        return d.hasNonNull(field) ? d.get(field).asText() : null;
    }
}
