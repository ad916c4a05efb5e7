package io.leadplatform.common.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One event waiting in the transactional outbox; written in the transaction of the state change it describes. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

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

    /** W3C traceparent of the span current when the event was written (see {@link OutboxTracing}); null without one. */
    public String traceparent;

    /** W3C tracestate that came with {@link #traceparent}; usually null. */
    public String tracestate;

    /** Puts this event in the trace of the event that caused it (for rows prepared outside that event's context). */
    public OutboxEvent inTraceOf(OutboxEvent cause) {
        traceparent = cause.traceparent;
        tracestate = cause.tracestate;
        return this;
    }
}
