package io.leadplatform.scoring.service;

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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Use cases on one lead through Hibernate Reactive: rescore it from its whole history with the active
 * model (background rescoring after an activation; moving LEAD / RECYCLED → MQL when it qualifies),
 * explain a score at read time, read its score and stage history. Consumed events are scored in
 * batches by {@link BatchScoringService}, which shares the rules of {@link #apply} and the MQL move.
 */
@ApplicationScoped
public class ScoringService {

    private final LeadScoreRepository scores;
    private final StageTransitionRepository transitions;
    private final LeadActivityRepository activities;
    private final ScoringModelRepository modelRepository;
    private final ModelCatalog models;
    private final StageChanger stages;
    private final ScoringEvents events;

    public ScoringService(LeadScoreRepository scores, StageTransitionRepository transitions, LeadActivityRepository activities,
                          ScoringModelRepository modelRepository, ModelCatalog models, StageChanger stages,
                          ScoringEvents events) {
        this.scores = scores;
        this.transitions = transitions;
        this.activities = activities;
        this.modelRepository = modelRepository;
        this.models = models;
        this.stages = stages;
        this.events = events;
    }

    /** Rescores a lead with the active model (inside a transaction), emits lead.scored, and moves it to MQL when it qualifies. */
    public Uni<Void> rescore(LeadScore score, Instant now) {
        return models.active().chain(model -> activities.ofLead(score.leadId).chain(list -> {
            ScoringEngine.Summary s = models.engine(model).score(score.profile, list.stream().map(LeadActivity::toActivity).toList(), now)
                    .summary();
            apply(score, model, s);
            Uni<?> staged = Uni.createFrom().voidItem();
            if (qualifiesForMql(score, s)) {
                staged = stages.move(score, Stage.MQL, mqlReason(model, s), "system", now);
            }
            return staged.chain(() -> events.scored(score)).replaceWithVoid();
        }));
    }

    /** Scoring moves a lead to MQL itself only from LEAD or RECYCLED, when the score passes the model's thresholds. */
    static boolean qualifiesForMql(LeadScore score, ScoringEngine.Summary s) {
        return s.mql().mql() && (score.stage == Stage.LEAD || score.stage == Stage.RECYCLED);
    }

    static String mqlReason(ScoringModel model, ScoringEngine.Summary s) {
        return "qualified by model " + model.label() + ": " + s.mql().reason();
    }

    static void apply(LeadScore score, ScoringModel model, ScoringEngine.Summary s) {
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
        s.engagementTotals().forEach(r -> parts.add(new LeadScore.Contribution(r.rule(), "engagement", r.points(),
                r.description() + " (" + r.events() + " events" + (r.capped() ? ", capped" : "") + ")")));
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
}
