package io.leadplatform.scoring.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.common.events.EventFactory;
import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.common.outbox.OutboxConfig;
import io.leadplatform.contracts.EventSchemaValidator;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.repository.ScoringBatchRepository.OutboxRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * lead.scored and lead.stage-changed (contracts/events): through platform-common's {@link Outbox} inside a
 * Hibernate transaction, or as outbox rows of the same format for batch scoring's own multi-row insert.
 */
@ApplicationScoped
public class ScoringEvents {

    private final Outbox outbox;
    private final OutboxConfig config;
    private final ObjectMapper mapper;

    public ScoringEvents(Outbox outbox, OutboxConfig config, ObjectMapper mapper) {
        this.outbox = outbox;
        this.config = config;
        this.mapper = mapper;
    }

    public Uni<UUID> scored(LeadScore s) {
        return outbox.add(EventTypes.LEAD_SCORED, s.leadId, scoredData(s));
    }

    public Uni<UUID> stageChanged(StageTransition t, String channel) {
        return outbox.add(EventTypes.STAGE_CHANGED, t.leadId, stageChangedData(t, channel));
    }

    /** The lead.scored event as an outbox row: same envelope, schema check and row as {@link Outbox#add}. */
    public OutboxRow scoredRow(LeadScore s) {
        return row(EventTypes.LEAD_SCORED, s.leadId, scoredData(s));
    }

    /** The lead.stage-changed event as an outbox row. */
    public OutboxRow stageChangedRow(StageTransition t, String channel) {
        return row(EventTypes.STAGE_CHANGED, t.leadId, stageChangedData(t, channel));
    }

    private OutboxRow row(String type, UUID leadId, Map<String, Object> data) {
        ObjectNode event = EventFactory.envelope(mapper, config.source(), type, leadId, data);
        if (config.validate()) {
            EventSchemaValidator.requireValid(event);
        }
        return new OutboxRow(UUID.fromString(event.get("id").asText()), config.topic(), leadId.toString(), type, event.toString(),
                Instant.now());
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
