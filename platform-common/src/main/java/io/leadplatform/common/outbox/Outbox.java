package io.leadplatform.common.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.common.events.EventFactory;
import io.leadplatform.contracts.EventSchemaValidator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/**
 * Writes events into the transactional outbox. Call it inside the transaction of the state change
 * (Panache.withTransaction / @WithTransaction): the event exists exactly when the change committed.
 * {@link OutboxRelay} then publishes it to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;
    private final OutboxConfig config;
    private final OutboxRelay relay;

    public Outbox(ObjectMapper mapper, OutboxConfig config, OutboxRelay relay) {
        this.mapper = mapper;
        this.config = config;
        this.relay = relay;
    }

    /** Adds an event of the given type about a lead to the current transaction; answers its event id. */
    public Uni<UUID> add(String type, UUID leadId, Object data) {
        ObjectNode event = EventFactory.envelope(mapper, config.source(), type, leadId, data);
        if (config.validate()) {
            EventSchemaValidator.requireValid(event);
        }
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.fromString(event.get("id").asText());
        row.topic = config.topic();
        row.eventKey = leadId.toString();
        row.eventType = type;
        row.payload = event.toString();
        row.createdAt = Instant.now();
        return row.persist().invoke(relay::wakeUpSoon).replaceWith(row.id);
    }
}
