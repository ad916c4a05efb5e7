package io.leadplatform.scoring.messaging;

import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.StageTransition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * lead.scored, lead.stage-changed and deal.closed (contracts/events) through the outbox: prepared as rows
 * ({@link Outbox#prepare}) and inserted with one statement in the transaction of the state change.
 */
@ApplicationScoped
public class ScoringEvents {

    private final Outbox outbox;

    public ScoringEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** An event of the given type about a lead as an outbox row (envelope built and schema-checked), not written yet. */
    public OutboxEvent row(String type, UUID leadId, Object data) {
        return outbox.prepare(type, leadId, data);
    }

    /** The lead.scored event as an outbox row (envelope built and schema-checked), not written yet. */
    public OutboxEvent scoredRow(LeadScore s) {
        return row(EventTypes.LEAD_SCORED, s.leadId, scoredData(s));
    }

    /** The lead.stage-changed event as an outbox row, not written yet. */
    public OutboxEvent stageChangedRow(StageTransition t, String channel) {
        return row(EventTypes.STAGE_CHANGED, t.leadId, stageChangedData(t, channel));
    }

    /** Inserts prepared rows with one statement in the transaction of {@code connection}, in list order. */
    public Uni<Void> insertAll(SqlClient connection, List<OutboxEvent> rows) {
        return outbox.insertAll(connection, rows);
    }

    /** After the transaction of {@link #insertAll} committed: the relay publishes shortly. */
    public void committed() {
        outbox.committed();
    }

    private static Map<String, Object> scoredData(LeadScore s) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", s.leadId.toString());
        data.put("fit", s.fit);
        data.put("grade", s.grade);
        data.put("engagement", s.engagement);
        data.put("temperature", s.temperature);
        data.put("modelVersion", s.modelVersion);
        data.put("scoredAt", s.updatedAt.toString());
        data.put("contributions", s.contributions);
        return data;
    }

    private static Map<String, Object> stageChangedData(StageTransition t, String channel) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", t.leadId.toString());
        data.put("from", t.fromStage == null ? null : t.fromStage.name());
        data.put("to", t.toStage.name());
        data.put("reason", t.reason);
        data.put("actor", t.actor);
        data.put("channel", channel);
        data.put("changedAt", t.changedAt.toString());
        return data;
    }
}
