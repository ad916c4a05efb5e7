package io.leadplatform.common.outbox;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

    @Test
    void capturesTheCurrentSpanAsW3cTraceContext() {
        SpanContext context = SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID, TraceFlags.getSampled(),
                TraceState.builder().put("vendor", "x1").build());
        OutboxEvent row = new OutboxEvent();
        try (Scope ignored = Span.wrap(context).makeCurrent()) {
            OutboxTracing.capture(row);
        }
        assertEquals(TRACEPARENT, row.traceparent);
        assertEquals("vendor=x1", row.tracestate);
    }

    @Test
    void capturesNothingWithoutASpan() {
        OutboxEvent row = new OutboxEvent();
        OutboxTracing.capture(row);
        assertNull(row.traceparent);
        assertNull(row.tracestate);
    }

    @Test
    void theRecordCarriesOneTraceparentOfAProducerSpanInTheStoredTrace() {
        try (SdkTracerProvider provider = SdkTracerProvider.builder().build()) {
            OutboxTracing tracing = new OutboxTracing(new SdkOnly(provider));
            Headers headers = new RecordHeaders();
            headers.add(OutboxTracing.TRACEPARENT, "00-11111111111111111111111111111111-2222222222222222-01".getBytes());
            tracing.inject(headers, "capture.events", "e1", TRACEPARENT, "vendor=x1");

            List<String> traceparents = values(headers, OutboxTracing.TRACEPARENT);
            assertEquals(1, traceparents.size(), "exactly one traceparent: " + traceparents);
            String[] parts = traceparents.get(0).split("-");
            assertEquals("00", parts[0]);
            assertEquals(TRACE_ID, parts[1], "same trace as the stored context");
            assertNotEquals(SPAN_ID, parts[2], "the producer span is a child of the stored span");
            assertEquals("01", parts[3]);
            assertEquals(List.of("vendor=x1"), values(headers, OutboxTracing.TRACESTATE));
        }
    }

    @Test
    void withoutAnSdkTheStoredContextIsPassedOnAsItIs() {
        OutboxTracing tracing = new OutboxTracing(OpenTelemetry.noop());
        Headers headers = new RecordHeaders();
        tracing.inject(headers, "capture.events", "e1", TRACEPARENT, null);
        assertEquals(List.of(TRACEPARENT), values(headers, OutboxTracing.TRACEPARENT));
        assertTrue(values(headers, OutboxTracing.TRACESTATE).isEmpty());
    }

    @Test
    void nothingStoredOrGarbageAddsNoTraceHeaders() {
        try (SdkTracerProvider provider = SdkTracerProvider.builder().build()) {
            OutboxTracing tracing = new OutboxTracing(new SdkOnly(provider));
            for (String stored : new String[] {null, "", "not-a-traceparent", "00-" + "0".repeat(32) + "-" + SPAN_ID + "-01"}) {
                Headers headers = new RecordHeaders();
                tracing.inject(headers, "capture.events", "e1", stored, null);
                assertTrue(values(headers, OutboxTracing.TRACEPARENT).isEmpty(), "no header for " + stored);
            }
        }
    }

    private static List<String> values(Headers headers, String key) {
        List<String> values = new ArrayList<>();
        for (Header h : headers.headers(key)) {
            values.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** An OpenTelemetry with the SDK's tracer provider (what quarkus-opentelemetry provides in the services). */
    private record SdkOnly(SdkTracerProvider tracers) implements OpenTelemetry {
        @Override
        public io.opentelemetry.api.trace.TracerProvider getTracerProvider() {
            return tracers;
        }

        @Override
        public io.opentelemetry.context.propagation.ContextPropagators getPropagators() {
            return io.opentelemetry.context.propagation.ContextPropagators.noop();
        }
    }
}
