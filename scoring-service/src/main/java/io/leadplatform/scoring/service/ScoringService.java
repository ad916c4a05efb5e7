package io.leadplatform.scoring.service;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.ScoringModel;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.repository.LeadActivityRepository;
import io.leadplatform.scoring.repository.LeadScoreRepository;
import io.leadplatform.scoring.repository.ScoringModelRepository;
import io.leadplatform.scoring.repository.StageTransitionRepository;
import io.leadplatform.scoring.service.engine.ScoringEngine;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Use cases on one lead: explain a score at read time, read its stage history. Consumed events are scored in
 * batches, and every lead is rescored after an activation, by {@link BatchScoringService}, which shares the rules
 * of {@link #apply} and the MQL move.
 */
@ApplicationScoped
public class ScoringService {

    private final Pool pool;
    private final LeadScoreRepository scores;
    private final StageTransitionRepository transitions;
    private final LeadActivityRepository activities;
    private final ScoringModelRepository modelRepository;
    private final ModelCatalog models;

    public ScoringService(Pool pool, LeadScoreRepository scores, StageTransitionRepository transitions, LeadActivityRepository activities,
                          ScoringModelRepository modelRepository, ModelCatalog models) {
        this.pool = pool;
        this.scores = scores;
        this.transitions = transitions;
        this.activities = activities;
        this.modelRepository = modelRepository;
        this.models = models;
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
    public Uni<Explanation> explain(UUID leadId) {
        Instant now = now();
        return pool.withConnection(c -> scores.find(c, leadId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no score for lead " + leadId))
                .chain(score -> (score.modelId == null ? Uni.createFrom().<ScoringModel>nullItem() : modelRepository.find(c, score.modelId))
                        .chain(model -> model != null ? Uni.createFrom().item(model) : models.active(c))
                        .chain(model -> activities.history(c, new UUID[]{leadId}).map(history -> {
                            ScoringEngine engine = models.engine(model);
                            return new Explanation(score, model, engine.model(),
                                    engine.score(score.profile, history.getOrDefault(leadId, List.of()), now));
                        }))));
    }

    /** A stored score, the model that made it, and the score recomputed at read time. */
    public record Explanation(LeadScore stored, ScoringModel model, io.leadplatform.scoring.service.engine.ModelDefinition definition,
                              ScoringEngine.Score now) {
    }

    /** The lead's transitions, oldest first; 404 when it has none. */
    public Uni<List<StageTransition>> history(UUID leadId) {
        return pool.withConnection(c -> transitions.history(c, leadId)).invoke(list -> {
            if (list.isEmpty()) {
                throw ProblemException.notFound("no stage history for lead " + leadId);
            }
        });
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
