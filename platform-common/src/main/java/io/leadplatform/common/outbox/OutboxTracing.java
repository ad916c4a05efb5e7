package io.leadplatform.common.outbox;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries the W3C trace context through the outbox: {@link #capture} stores the context current when an
 * event is written (the HTTP request or consumed event that caused it) on its outbox row, and
 * {@link #inject} gives the Kafka record a {@code traceparent} header (and {@code tracestate}, if any) of a
 * producer span whose parent is that stored context, so the consumer's span continues the original trace
 * although the relay sends later from its own scheduled context. An event written without a valid span
 * stores nothing and its record gets no trace headers.
 */
@ApplicationScoped
public class OutboxTracing {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    /** Uses the application's OpenTelemetry (quarkus-opentelemetry) where there is one, else only propagates. */
    @Inject
    public OutboxTracing(Instance<OpenTelemetry> openTelemetry) {
        this(openTelemetry.isResolvable() ? openTelemetry.get() : OpenTelemetry.noop());
    }

    OutboxTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.leadplatform.common.outbox");
    }

    /** Stores the current W3C trace context on the row; leaves both columns null when no valid span is current. */
    public static void capture(OutboxEvent row) {
        Map<String, String> carrier = new HashMap<>(2);
        // the W3C propagator writes nothing for an invalid (absent) span context
        W3C.inject(Context.current(), carrier, Map::put);
        row.traceparent = carrier.get(TRACEPARENT);
        row.tracestate = carrier.get(TRACESTATE);
    }

    /**
     * Adds the trace headers of a record published for a stored trace context: those of a producer span
     * ("send &lt;topic&gt;") that is a child of the stored context (same trace id). Replaces any trace
     * headers already there, so the record carries exactly one {@code traceparent}. Adds nothing when
     * nothing was stored or the stored value is not a valid W3C traceparent.
     */
    public void inject(Headers headers, String topic, String eventId, String traceparent, String tracestate) {
        if (traceparent == null || traceparent.isBlank()) {
            return;
        }
        Map<String, String> stored = new HashMap<>(2);
        stored.put(TRACEPARENT, traceparent);
        if (tracestate != null && !tracestate.isBlank()) {
            stored.put(TRACESTATE, tracestate);
        }
        Context parent = W3C.extract(Context.root(), stored, MAP_GETTER);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return;
        }
        // Like SmallRye's outgoing Kafka spans, it ends at once: it marks the hand-over to the producer.
        Span span = tracer.spanBuilder("send " + topic)
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.message.id", eventId)
                .startSpan();
        try {
            headers.remove(TRACEPARENT);
            headers.remove(TRACESTATE);
            W3C.inject(parent.with(span), headers,
                    (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
        } finally {
            span.end();
        }
    }
}
