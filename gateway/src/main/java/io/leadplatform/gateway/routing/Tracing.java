package io.leadplatform.gateway.routing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.core.http.HttpServerRequest;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C trace context through the gateway without a span per hop: the gateway takes the caller's
 * {@code traceparent} (or starts a trace) and sends exactly one {@code traceparent} upstream, naming
 * the gateway's hop as the parent. A span is created (by the OpenTelemetry SDK, so the configured
 * sampler, processors and exporter apply) only when the request is sampled: the caller's
 * {@code traceparent} has the sampled flag, or a new trace is picked by {@code GATEWAY_TRACE_RATIO}.
 * Otherwise the hop gets a fresh span id and the caller's trace id (or a new one) without any span
 * object: the same ids a non-recording span would carry, at the cost of two random numbers.
 * <p>
 * Replaces Quarkus' Vert.x HTTP server instrumentation ({@code quarkus.otel.instrument.vertx-http=false}),
 * which created a span and extracted the HTTP attributes for every request, sampled or not.
 */
final class Tracing {

    /** RoutingContext key of the request's {@link Hop} (normal chain). */
    static final String KEY = "gateway.trace";

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * One request's trace context: the {@code traceparent} to send upstream, the ids for the log lines,
     * and the gateway's span when the request is sampled (null otherwise).
     */
    static final class Hop {
        private final String traceparent;
        private final String traceId;
        private final String spanId;
        private final Span span;

        Hop(String traceparent, Span span) {
            this.traceparent = traceparent;
            this.traceId = traceparent.substring(3, 35);
            this.spanId = traceparent.substring(36, 52);
            this.span = span;
        }

        String traceparent() {
            return traceparent;
        }

        String traceId() {
            return traceId;
        }

        String spanId() {
            return spanId;
        }

        /** The gateway's span: only for a sampled request, null otherwise. */
        Span span() {
            return span;
        }

        /** Ends the span of a sampled request with the answer's status (no-op otherwise). */
        void end(int status) {
            if (span != null) {
                span.setAttribute(STATUS, (long) status);
                if (status >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
            }
        }
    }

    private final Tracer tracer;
    private final boolean newTracesSampled;
    private final java.util.function.Function<String, String> routeOf;

    /**
     * {@code tracer}: null switches tracing off (no traceparent handling, headers go on as sent);
     * {@code ratio}: share of new traces recorded ({@code quarkus.otel.traces.sampler.arg}); at 0 a new
     * trace is never handed to the SDK; {@code routeOf}: the prefix of the route serving a path, or null
     * (span name and {@code http.route} of recorded spans).
     */
    Tracing(Tracer tracer, double ratio, java.util.function.Function<String, String> routeOf) {
        this.tracer = tracer;
        this.newTracesSampled = ratio > 0;
        this.routeOf = routeOf;
    }

    boolean enabled() {
        return tracer != null;
    }

    /** The hop of this request (null when tracing is off). */
    Hop start(HttpServerRequest request) {
        if (tracer == null) {
            return null;
        }
        String incoming = request.getHeader("traceparent");
        if (incoming != null && valid(incoming)) {
            if (sampled(incoming)) {
                SpanContext parent = SpanContext.createFromRemoteParent(incoming.substring(3, 35),
                        incoming.substring(36, 52), TraceFlags.getSampled(), TraceState.getDefault());
                return recorded(request, Context.root().with(Span.wrap(parent)));
            }
            return new Hop(continued(incoming), null);
        }
        if (newTracesSampled) {
            return recorded(request, Context.root());
        }
        return new Hop(newTraceparent(), null);
    }

    private Hop recorded(HttpServerRequest request, Context parent) {
        String method = request.method().name();
        String route = routeOf.apply(request.path());
        Span span = tracer.spanBuilder(route == null ? method : method + " " + route + "/**")
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(PATH, request.path())
                .setAttribute(SCHEME, request.scheme() == null ? "http" : request.scheme())
                .startSpan();
        if (route != null && span.isRecording()) {
            span.setAttribute(ROUTE, route + "/**");
        }
        SpanContext context = span.getSpanContext();
        String traceparent = "00-" + context.getTraceId() + '-' + context.getSpanId() + '-'
                + context.getTraceFlags().asHex();
        // a new trace that the ratio did not pick: a non-recording span, nothing to end
        return new Hop(traceparent, span.isRecording() ? span : null);
    }

    /**
     * A W3C {@code traceparent} this gateway can continue: version (2 hex, not {@code ff}), 32 hex trace id
     * and 16 hex parent id (lower case, not all zeros), 2 hex flags; version 00 is exactly 55 characters,
     * a later version may append {@code -...}.
     */
    static boolean valid(String h) {
        int n = h.length();
        if (n < 55 || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-'
                || !hex(h, 0, 2) || !hex(h, 3, 35) || !hex(h, 36, 52) || !hex(h, 53, 55)) {
            return false;
        }
        boolean version00 = h.charAt(0) == '0' && h.charAt(1) == '0';
        if (h.charAt(0) == 'f' && h.charAt(1) == 'f') {
            return false;
        }
        if (version00 ? n != 55 : n > 55 && h.charAt(55) != '-') {
            return false;
        }
        return !zeros(h, 3, 35) && !zeros(h, 36, 52);
    }

    private static boolean sampled(String h) {
        return (Character.digit(h.charAt(54), 16) & 1) == 1;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** The caller's trace, not sampled, continued by a new span id: {@code 00-<its trace id>-<new id>-00}. */
    private static String continued(String incoming) {
        char[] out = new char[55];
        incoming.getChars(3, 35, out, 3);
        return unsampled(out);
    }

    /** A new trace, not sampled: random trace id and span id (never all zeros). */
    private static String newTraceparent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low;
        do {
            low = random.nextLong();
        } while (low == 0);
        char[] out = new char[55];
        hex(high, out, 3);
        hex(low, out, 19);
        return unsampled(out);
    }

    /** Around the trace id at 3..34 of {@code out}: version 00, a new span id of the hop, flags 00. */
    private static String unsampled(char[] out) {
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        out[35] = '-';
        hex(randomSpanId(), out, 36);
        out[52] = '-';
        out[53] = '0';
        out[54] = '0';
        return new String(out);
    }

    private static long randomSpanId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }

    private static void hex(long value, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
