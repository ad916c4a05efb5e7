package io.leadplatform.gateway.routing;

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

    static final String TRACEPARENT = "traceparent";

    /** Whether OpenTelemetry tracing is on: then the gateway's hop is sent upstream as traceparent ({@link Tracing}). */
    static final boolean TRACING = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("quarkus.otel.enabled", Boolean.class).orElse(true)
            && org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.otel.traces.enabled", Boolean.class).orElse(true);

    private Forwarding() {
    }

    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String X_FORWARDED_HOST = "X-Forwarded-Host";

    /**
     * X-Forwarded-For (the caller's first value, then the peer appended), -Proto and -Host, added to headers that
     * do not hold them yet (the caller's own are not copied: {@code Forwarder.copyRequestHeaders}).
     */
    static void addForwardedHeaders(HttpServerRequest incoming, MultiMap out) {
        SocketAddress remote = incoming.remoteAddress();
        if (remote != null && remote.hostAddress() != null) {
            String previous = incoming.getHeader(X_FORWARDED_FOR);
            out.add(X_FORWARDED_FOR,
                    previous == null || previous.isBlank() ? remote.hostAddress() : previous + ", " + remote.hostAddress());
        } else {
            out.add(X_FORWARDED_FOR, incoming.headers().getAll(X_FORWARDED_FOR)); // no peer address: as sent
        }
        out.add(X_FORWARDED_PROTO, incoming.scheme() == null ? "http" : incoming.scheme());
        if (incoming.authority() != null) {
            out.add(X_FORWARDED_HOST, incoming.authority().toString());
        } else {
            out.add(X_FORWARDED_HOST, incoming.headers().getAll(X_FORWARDED_HOST)); // no Host: as sent
        }
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
