package io.leadplatform.scoring.service;

import io.leadplatform.common.orm.SessionOutbox;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.scoring.config.ScoringConfig;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.repository.LeadScoreRepository;
import io.leadplatform.scoring.service.engine.Bant;
import io.leadplatform.scoring.service.engine.Lifecycle;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Sales' lifecycle use cases (accept with BANT, reject, opportunity, deal) and the decay sweep. */
@ApplicationScoped
public class LifecycleService {

    private final LeadScoreRepository scores;
    private final BatchScoringService batchScoring;
    private final StageChanger stages;
    private final SessionOutbox outbox;
    private final ScoringConfig config;

    public LifecycleService(LeadScoreRepository scores, BatchScoringService batchScoring, StageChanger stages, SessionOutbox outbox,
                            ScoringConfig config) {
        this.scores = scores;
        this.batchScoring = batchScoring;
        this.stages = stages;
        this.outbox = outbox;
        this.config = config;
    }

    /** MQL → SQL when BANT passes the configured rule; else a 422 naming each criterion not met. */
    @WithTransaction
    public Uni<StageTransition> accept(UUID leadId, Bant bant, String actor) {
        return lead(leadId).chain(score -> {
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
            return stages.move(score, Stage.SQL, reason.toString(), actor, ScoringService.now());
        });
    }

    /** recycle → RECYCLED (back to nurturing), disqualify → DISQUALIFIED. */
    @WithTransaction
    public Uni<StageTransition> reject(UUID leadId, String reasonCode, String note, String actor) {
        Stage to = "recycle".equals(reasonCode) ? Stage.RECYCLED : Stage.DISQUALIFIED;
        return lead(leadId).chain(score -> stages.move(score, to,
                "rejected by sales (" + reasonCode + ")" + (note == null || note.isBlank() ? "" : ": " + note), actor, ScoringService.now()));
    }

    @WithTransaction
    public Uni<StageTransition> opportunity(UUID leadId, String note, String actor) {
        return lead(leadId).chain(score -> stages.move(score, Stage.OPPORTUNITY,
                "opportunity opened" + (note == null || note.isBlank() ? "" : ": " + note), actor, ScoringService.now()));
    }

    /** The deal of an opportunity closed: emits deal.closed; won → CUSTOMER, lost → RECYCLED. */
    @WithTransaction
    public Uni<DealClosed> deal(UUID leadId, String outcome, BigDecimal revenue, BigDecimal grossMargin, String currency, String actor) {
        Instant now = ScoringService.now();
        return lead(leadId).chain(score -> {
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
            return outbox.add(EventTypes.DEAL_CLOSED, leadId, data)
                    .chain(() -> stages.move(score, to, "deal " + outcome + " (" + revenue + " " + currency + ")", actor, now))
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

    private Uni<LeadScore> lead(UUID leadId) {
        return scores.findById(leadId, LockModeType.PESSIMISTIC_WRITE).onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + leadId));
    }

    private static void requireMove(LeadScore score, Stage to) {
        String illegal = Lifecycle.check(score.stage, to);
        if (illegal != null) {
            throw ProblemException.conflict(illegal);
        }
    }

}
