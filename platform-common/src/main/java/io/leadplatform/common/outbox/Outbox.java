package io.leadplatform.common.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.common.events.EventFactory;
import io.leadplatform.common.persistence.Columns;
import io.leadplatform.contracts.EventSchemaValidator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.SqlClient;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes events into the transactional outbox on the reactive SQL client: {@link #insertAll} on the
 * connection of the state change's transaction, so the event exists exactly when the change committed.
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

    /**
     * Builds the outbox row of an event (CloudEvents envelope, validated against its schema) without
     * writing it: for {@link #insertAll}, which inserts many rows at once, or a Hibernate session writer.
     */
    public OutboxEvent prepare(String type, UUID leadId, Object data) {
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
        // the trace of the request or consumed event that causes this event; the relay continues it on Kafka
        OutboxTracing.capture(row);
        return row;
    }

    /**
     * Inserts prepared rows with one statement on the given connection, inside the caller's
     * transaction; the relay publishes them in list order (seq follows the order of the rows).
     */
    public Uni<Void> insertAll(SqlClient connection, List<OutboxEvent> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(INSERT_ALL)
                .execute(Columns.of(rows).uuid(r -> r.id).text(r -> r.topic).text(r -> r.eventKey).text(r -> r.eventType)
                        .text(r -> r.payload).time(r -> r.createdAt).text(r -> r.traceparent).text(r -> r.tracestate)
                        .tuple())
                .replaceWithVoid();
    }

    /** Call after the transaction that wrote events committed (or once they are written): the relay runs a round shortly. */
    public void committed() {
        relay.wakeUpSoon();
    }

    private static final String INSERT_ALL = """
            insert into outbox_event (id, topic, event_key, event_type, payload, created_at, traceparent, tracestate)
            select id, topic, event_key, event_type, payload, created_at, traceparent, tracestate
            from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[])
                          with ordinality as t(id, topic, event_key, event_type, payload, created_at, traceparent, tracestate, n)
            order by n""";
}
