package io.leadplatform.gateway.routing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * What both forwarding paths (the vertx-http-proxy routes and {@link PublicFastPath}) add to an
 * upstream request, and how they answer when the upstream cannot be reached or is too slow.
 */
final class Forwarding {

    private static final Logger LOG = Logger.getLogger(Forwarding.class);

    /** Whether OpenTelemetry tracing is on: then the gateway's span context is sent upstream as traceparent. */
    static final boolean TRACING = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("quarkus.otel.enabled", Boolean.class).orElse(true)
            && org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.otel.traces.enabled", Boolean.class).orElse(true);

    private Forwarding() {
    }

    /**
     * X-Forwarded-For (appended), -Proto and -Host; with tracing on, the traceparent sent upstream names
     * the gateway's server span as the parent (same trace id, sampled flag as decided for the request),
     * replacing the copied one. The upstream client has no span of its own (no span per hop: the
     * server span, recorded only when sampled, stands for the gateway); tracestate and baggage go on
     * unchanged.
     */
    static void addForwardedHeaders(HttpServerRequest incoming, MultiMap out) {
        SocketAddress remote = incoming.remoteAddress();
        if (remote != null && remote.hostAddress() != null) {
            String previous = incoming.getHeader("X-Forwarded-For");
            out.set("X-Forwarded-For",
                    previous == null || previous.isBlank() ? remote.hostAddress() : previous + ", " + remote.hostAddress());
        }
        out.set("X-Forwarded-Proto", incoming.scheme() == null ? "http" : incoming.scheme());
        if (incoming.authority() != null) {
            out.set("X-Forwarded-Host", incoming.authority().toString());
        }
        if (TRACING) {
            SpanContext span = Span.current().getSpanContext();
            if (span.isValid()) {
                out.set("traceparent", traceparent(span));
            }
        }
    }

    /** W3C trace context: {@code 00-<trace id>-<parent span id>-<flags>}. */
    static String traceparent(SpanContext span) {
        return new StringBuilder(55).append("00-").append(span.getTraceId()).append('-').append(span.getSpanId())
                .append('-').append(span.getTraceFlags().asHex()).toString();
    }

    /** 504 when the upstream did not answer in time, 502 when it cannot be reached. */
    static int statusFor(Throwable err) {
        return isTimeout(err) ? 504 : 502;
    }

    /** The problem+json body for an upstream failure (logged once, without personal data). */
    static Buffer upstreamProblem(String routeName, HttpMethod method, String path, Throwable err, Duration readTimeout) {
        boolean timeout = isTimeout(err);
        int status = timeout ? 504 : 502;
        LOG.warnf("upstream %s failed for %s %s: %s (%s) -> %d", routeName, method, GatewayRouter.redact(path),
                err.getClass().getSimpleName(), err.getMessage(), status);
        String detail = timeout
                ? "The " + routeName + " service did not answer in time (connect or read timeout, read timeout "
                        + readTimeout.toSeconds() + " s)."
                : "The " + routeName + " service is unavailable.";
        return Problems.body(timeout ? "upstream-timeout" : "upstream-unavailable",
                timeout ? "Gateway Timeout" : "Bad Gateway", status, detail, path);
    }

    static void sendUpstreamProblem(HttpServerResponse response, String routeName, HttpMethod method, String path,
            Throwable err, Duration readTimeout) {
        if (!response.ended() && !response.headWritten()) {
            response.headers().clear();
        }
        Problems.send(response, statusFor(err), () -> upstreamProblem(routeName, method, path, err, readTimeout));
    }

    static boolean isTimeout(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            String name = t.getClass().getName().toLowerCase();
            String message = String.valueOf(t.getMessage()).toLowerCase();
            if (name.contains("timeout") || message.contains("timeout period") || message.contains("timed out")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
