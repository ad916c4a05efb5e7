package io.leadplatform.scoring.service;

import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.scoring.config.ScoringConfig;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.messaging.ScoringEvents;
import io.leadplatform.scoring.repository.LeadScoreRepository;
import io.leadplatform.scoring.service.engine.Bant;
import io.leadplatform.scoring.service.engine.Lifecycle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Sales' lifecycle use cases (accept with BANT, reject, opportunity, deal) and the decay sweep. Each move is one
 * transaction on the reactive PG client: the lead's score row locked ({@code for update}), the transition, the new
 * stage and the outbox events written together; the relay is woken after the commit.
 */
@ApplicationScoped
public class LifecycleService {

    private final Pool pool;
    private final LeadScoreRepository scores;
    private final BatchScoringService batchScoring;
    private final StageChanger stages;
    private final ScoringEvents events;
    private final ScoringConfig config;

    public LifecycleService(Pool pool, LeadScoreRepository scores, BatchScoringService batchScoring, StageChanger stages,
                            ScoringEvents events, ScoringConfig config) {
        this.pool = pool;
        this.scores = scores;
        this.batchScoring = batchScoring;
        this.stages = stages;
        this.events = events;
        this.config = config;
    }

    /** MQL → SQL when BANT passes the configured rule; else a 422 naming each criterion not met. */
    public Uni<StageTransition> accept(UUID leadId, Bant bant, String actor) {
        return onLead(leadId, (tx, score) -> {
            requireMove(score, Stage.SQL);
            Bant.Verdict verdict = bant.evaluate(config.bantMinMet());
            if (!verdict.accepted()) {
                return Uni.createFrom().failure(new ProblemException(Problem.invalid(verdict.missing().stream()
                        .map(c -> new Problem.FieldError(c + ".met", "not met: " + verdict.reason())).toList())));
            }
            StringBuilder reason = new StringBuilder("accepted by sales: ").append(verdict.reason());
            bant.criteria().forEach((k, c) -> {
                if (c != null && c.note() != null && !c.note().isBlank()) {
                    reason.append("; ").append(k).append(": ").append(c.note());
                }
            });
            return stages.move(tx, score, Stage.SQL, reason.toString(), actor, ScoringService.now());
        });
    }

    /** recycle → RECYCLED (back to nurturing), disqualify → DISQUALIFIED. */
    public Uni<StageTransition> reject(UUID leadId, String reasonCode, String note, String actor) {
        Stage to = "recycle".equals(reasonCode) ? Stage.RECYCLED : Stage.DISQUALIFIED;
        return onLead(leadId, (tx, score) -> stages.move(tx, score, to,
                "rejected by sales (" + reasonCode + ")" + (note == null || note.isBlank() ? "" : ": " + note), actor, ScoringService.now()));
    }

    public Uni<StageTransition> opportunity(UUID leadId, String note, String actor) {
        return onLead(leadId, (tx, score) -> stages.move(tx, score, Stage.OPPORTUNITY,
                "opportunity opened" + (note == null || note.isBlank() ? "" : ": " + note), actor, ScoringService.now()));
    }

    /** The deal of an opportunity closed: emits deal.closed; won → CUSTOMER, lost → RECYCLED. */
    public Uni<DealClosed> deal(UUID leadId, String outcome, BigDecimal revenue, BigDecimal grossMargin, String currency, String actor) {
        Instant now = ScoringService.now();
        return onLead(leadId, (tx, score) -> {
            Stage to = "won".equals(outcome) ? Stage.CUSTOMER : Stage.RECYCLED;
            if (score.stage != Stage.OPPORTUNITY) {
                return Uni.createFrom().failure(ProblemException.conflict("a deal can only close for a lead in OPPORTUNITY; the lead is "
                        + score.stage));
            }
            UUID dealId = UUID.randomUUID();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("leadId", leadId.toString());
            data.put("dealId", dealId.toString());
            data.put("outcome", outcome);
            data.put("revenue", revenue);
            data.put("grossMargin", grossMargin);
            data.put("currency", currency);
            data.put("channel", score.channel);
            Object campaign = score.profile.get("utm") instanceof Map<?, ?> utm ? utm.get("campaign") : null;
            data.put("campaign", campaign == null ? null : String.valueOf(campaign));
            data.put("closedAt", now.toString());
            // deal.closed before the lead.stage-changed of the move: the relay publishes in this order
            return events.insertAll(tx, List.of(events.row(EventTypes.DEAL_CLOSED, leadId, data)))
                    .chain(() -> stages.move(tx, score, to, "deal " + outcome + " (" + revenue + " " + currency + ")", actor, now))
                    .map(t -> new DealClosed(dealId, outcome, t.toStage.name()));
        });
    }

    public record DealClosed(UUID dealId, String outcome, String stage) {
    }

    /**
     * Recycles every MQL whose engagement, decayed to {@code now}, fell below its model's MQL threshold.
     * Answers how many leads were recycled.
     */
    public Uni<Integer> sweep(Instant now) {
        return batchScoring.recycleColdMqls(now);
    }

    /**
     * Runs {@code work} in one transaction on the lead's score row, locked (404 when the lead has no score); wakes the
     * outbox relay once it committed (every move writes an event).
     */
    private <T> Uni<T> onLead(UUID leadId, BiFunction<SqlClient, LeadScore, Uni<T>> work) {
        return pool.withTransaction(tx -> scores.lock(tx, leadId)
                        .onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + leadId))
                        .chain(score -> work.apply(tx, score)))
                .invoke(events::committed);
    }

    private static void requireMove(LeadScore score, Stage to) {
        String illegal = Lifecycle.check(score.stage, to);
        if (illegal != null) {
            throw ProblemException.conflict(illegal);
        }
    }

}
