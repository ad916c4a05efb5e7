package io.leadplatform.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's route table and upstream settings ({@code gateway.*}). Every value can be
 * overridden per environment, e.g. {@code GATEWAY_ROUTES_CAPTURE_UPSTREAM=http://capture-service:8081}.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Routes by name (capture, scoring, nurturing, kpi, ...). */
    Map<String, Route> routes();

    /** Time allowed to open a TCP connection to an upstream; past it the gateway answers 504. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Longest silence allowed while waiting for an upstream's response; past it the gateway answers 504. */
    @WithDefault("30s")
    Duration readTimeout();

    /**
     * Anonymous POSTs to public paths (form submissions, tracking, partner webhooks) take a lean
     * forwarding path that skips the router's security, CORS and proxy pipeline (see README);
     * false sends them through the normal chain like every other request.
     */
    @WithDefault("true")
    boolean fastPath();

    /** Browser origins allowed to call the gateway (CORS). */
    Cors cors();

    interface Route {
        /** Path prefix, e.g. {@code /api/capture}; the prefix and everything under it go upstream unchanged. */
        String prefix();

        /** Base URL of the upstream service, scheme://host:port (no path). */
        String upstream();

        /**
         * Realm roles that may call the route (documentation of the enforced policy in
         * {@code quarkus.http.auth.*}, which references these values); empty = any authenticated user.
         */
        Optional<List<String>> roles();

        /** Paths under the prefix that need no token (documentation; enforced by quarkus.http.auth.permission.*). */
        Optional<List<String>> publicPaths();
    }

    interface Cors {
        @WithDefault("http://127.0.0.1:3000,http://localhost:3000")
        List<String> origins();

        @WithDefault("GET,POST,PUT,PATCH,DELETE,OPTIONS")
        List<String> methods();

        @WithDefault("Authorization,Content-Type,Accept,X-Request-Id,traceparent,tracestate,Idempotency-Key")
        List<String> headers();

        @WithDefault("X-Request-Id,Location,WWW-Authenticate")
        List<String> exposedHeaders();

        @WithDefault("1h")
        Duration maxAge();

        /**
         * Paths (exact; {@code *} stands for one path segment) whose CORS answers are the upstream's own
         * (per-form origins in capture-service): preflights there go to the upstream, and the gateway
         * adds no CORS headers. Form management paths are not among them.
         */
        @WithDefault("/api/capture/forms/*/submissions,/api/capture/forms/*/render,/api/capture/forms/*/confirm,"
                + "/api/capture/track,/api/capture/track/*,/api/capture/tracker.js")
        List<String> upstreamManagedPaths();
    }
}
