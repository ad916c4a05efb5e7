package io.leadplatform.gateway.routing;

import io.leadplatform.gateway.limits.CircuitBreaker;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;

/**
 * One configured route: where it forwards, its timeouts and body limit, its circuit breaker and its
 * rate limits per caller class (requests per gateway.rate-limit.window on each replica).
 */
public record UpstreamRoute(String name, String prefix, URI upstream, RequestOptions origin, Duration readTimeout,
        long maxBodySize, CircuitBreaker breaker, Limits limits) {

    /** Requests per window for each caller class on this route (already divided by the replicas). */
    public record Limits(long ip, long user, long client, long partner) {
    }

    public boolean matches(String path) {
        // no "prefix + /" string per call: this runs for every request
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
