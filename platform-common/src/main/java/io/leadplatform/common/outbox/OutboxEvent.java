package io.leadplatform.common.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One event for the transactional outbox (a row of {@code outbox_event}), written in the transaction of the
 * state change it describes, with {@link Outbox#insertAll} on a reactive SQL connection. A plain value.
 */
public class OutboxEvent {

    /** The event id, assigned by the writer: no identity round trip, so inserts can be batched. */
    public UUID id;

    public String topic;

    public String eventKey;

    public String eventType;

    public String payload;

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
