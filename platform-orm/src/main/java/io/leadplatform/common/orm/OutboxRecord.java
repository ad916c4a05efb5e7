package io.leadplatform.common.orm;

import io.leadplatform.common.outbox.OutboxEvent;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * The Hibernate mapping of an {@code outbox_event} row, for services that write events in a Hibernate
 * Reactive transaction ({@link SessionOutbox}). The relay reads and deletes rows with plain SQL.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxRecord extends PanacheEntityBase {

    /** The event id, assigned by the writer: no identity round trip, so Hibernate batches outbox inserts. */
    @Id
    public UUID id;

    /** Relay order, from the column's sequence default. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(nullable = false)
    public String topic;

    @Column(name = "event_key", nullable = false)
    public String eventKey;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false)
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public String traceparent;

    public String tracestate;

    static OutboxRecord of(OutboxEvent event) {
        OutboxRecord r = new OutboxRecord();
        r.id = event.id;
        r.topic = event.topic;
        r.eventKey = event.eventKey;
        r.eventType = event.eventType;
        r.payload = event.payload;
        r.createdAt = event.createdAt;
        r.traceparent = event.traceparent;
        r.tracestate = event.tracestate;
        return r;
    }
}
