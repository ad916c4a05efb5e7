package io.leadplatform.scoring.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.messaging.ScoringEvents;
import io.leadplatform.scoring.repository.LeadScoreRepository;
import io.leadplatform.scoring.repository.StageTransitionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Use cases: score a lead when its profile arrives; read scores and stage history. */
@ApplicationScoped
public class ScoringService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final LeadScoreRepository scores;
    private final StageTransitionRepository transitions;
    private final ScoringEvents events;
    private final ObjectMapper mapper;

    public ScoringService(LeadScoreRepository scores, StageTransitionRepository transitions, ScoringEvents events,
                          ObjectMapper mapper) {
        this.scores = scores;
        this.transitions = transitions;
        this.events = events;
        this.mapper = mapper;
    }

    /** Handles lead.captured / lead.updated inside the consumer's transaction. */
    public Uni<Void> onProfile(IncomingEvent event) {
        Map<String, Object> profile = mapper.convertValue(event.data(), MAP);
        UUID leadId = event.subject();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return scores.findById(leadId).chain(existing -> {
            boolean isNew = existing == null;
            LeadScore score = isNew ? new LeadScore() : existing;
            FitScoring.Result fit = FitScoring.score(profile);
            score.leadId = leadId;
            score.channel = (String) profile.get("channel");
            score.profile = profile;
            score.fit = fit.fit();
            score.grade = fit.grade();
            score.temperature = Temperature.of(score.engagement);
            score.modelVersion = FitScoring.MODEL_VERSION;
            score.contributions = fit.contributions();
            score.updatedAt = now;
            if (!isNew) {
                return events.scored(score).replaceWithVoid();
            }
            score.stage = Stage.LEAD;
            StageTransition t = new StageTransition();
            t.leadId = leadId;
            t.fromStage = null;
            t.toStage = Stage.LEAD;
            t.reason = "captured via " + profile.getOrDefault("source", "unknown");
            t.actor = "system";
            t.changedAt = now;
            return scores.persist(score)
                    .chain(() -> transitions.persist(t))
                    .chain(() -> events.scored(score))
                    .chain(() -> events.stageChanged(t, score.channel))
                    .replaceWithVoid();
        });
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
}
