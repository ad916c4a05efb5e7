package io.leadplatform.scoring.service;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.messaging.ScoringEvents;
import io.leadplatform.scoring.repository.LeadScoreRepository;
import io.leadplatform.scoring.repository.StageTransitionRepository;
import io.leadplatform.scoring.service.engine.Lifecycle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** Moves a lead through the stage machine inside the caller's transaction: checks, records, emits. */
@ApplicationScoped
public class StageChanger {

    private final LeadScoreRepository scores;
    private final StageTransitionRepository transitions;
    private final ScoringEvents events;

    public StageChanger(LeadScoreRepository scores, StageTransitionRepository transitions, ScoringEvents events) {
        this.scores = scores;
        this.transitions = transitions;
        this.events = events;
    }

    /**
     * Moves the (locked) lead in the transaction of {@code tx}: records the transition, stores the stage and adds
     * lead.stage-changed to the outbox, pipelined. Fails with a 409 problem saying why when the move is illegal.
     */
    public Uni<StageTransition> move(SqlClient tx, LeadScore score, Stage to, String reason, String actor, Instant now) {
        String illegal = Lifecycle.check(score.stage, to);
        if (illegal != null) {
            return Uni.createFrom().failure(ProblemException.conflict(illegal));
        }
        StageTransition t = transition(score, to, reason, actor, now);
        return Uni.combine().all().unis(transitions.insertAll(tx, List.of(t)), scores.updateStage(tx, score),
                        events.insertAll(tx, List.of(events.stageChangedRow(t, score.channel))))
                .discardItems().replaceWith(t);
    }

    /** The transition record of a (checked) move, with the lead's stage set to {@code to}; nothing is stored. */
    static StageTransition transition(LeadScore score, Stage to, String reason, String actor, Instant now) {
        StageTransition t = new StageTransition();
        t.leadId = score.leadId;
        t.fromStage = score.stage;
        t.toStage = to;
        t.reason = reason;
        t.actor = actor;
        t.changedAt = now;
        score.stage = to;
        return t;
    }
}
