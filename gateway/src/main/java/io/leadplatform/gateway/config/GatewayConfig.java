package io.leadplatform.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

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

    /**
     * Largest request body forwarded (per route: {@code gateway.routes.<name>.max-body-size}); a larger
     * body is answered 413 problem+json by the gateway itself and never reaches the upstream.
     */
    @WithDefault("1M")
    io.quarkus.runtime.configuration.MemorySize maxBodySize();

    /** Browser origins allowed to call the gateway (CORS). */
    Cors cors();

    /** Rate limits per caller (see README: keys, headers, several replicas). */
    RateLimit rateLimit();

    /** Circuit breaker defaults for every upstream (per route overrides under the route). */
    CircuitBreaker circuitBreaker();

    /** The aggregated OpenAPI document and Swagger UI login. */
    OpenApi openapi();

    interface RateLimit {
        /** false: no limits at all (no headers either). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Number of gateway replicas sharing the traffic: every limit below is the limit for the whole
         * platform and each replica enforces limit / replicas (rounded up) in its own memory.
         */
        @WithDefault("1")
        int replicas();

        /** Window every limit refills over (token bucket, greedy refill). */
        @WithDefault("1m")
        Duration window();

        /** Anonymous callers (public paths): requests per window per client IP and route. */
        @WithDefault("600")
        long ip();

        /** People (a user's token): requests per window per user ({@code sub}) and route. */
        @WithDefault("1200")
        long user();

        /** Machine clients (client-credentials tokens): per client id ({@code azp}) and route. */
        @WithDefault("3000")
        long client();

        /** Partners (role partner): per partner id ({@code partner_id}, else the client id) and route. */
        @WithDefault("1200")
        long partner();

        /**
         * Take the client IP from the last X-Forwarded-For entry (set true only behind a proxy or
         * load balancer that appends it); otherwise the TCP peer address.
         */
        @WithDefault("false")
        boolean trustForwardedFor();

        /** Most buckets kept at once; full (idle) buckets are dropped every window. */
        @WithDefault("100000")
        int maxKeys();
    }

    interface CircuitBreaker {
        /** Consecutive transport failures (refused, reset, timeout) that open the circuit of an upstream. */
        @WithDefault("5")
        int failureThreshold();

        /** How long an open circuit answers 503 at once before one trial request is let through. */
        @WithDefault("10s")
        Duration openDuration();
    }

    interface OpenApi {
        /** Contracts merged into GET /openapi, from the classpath (contracts module) /contracts/openapi/NAME.yaml. */
        @WithDefault("capture-service,scoring-service,nurturing-service,kpi-service,gateway")
        List<String> documents();

        /**
         * Keycloak realm URL as browsers reach it (authorization and token endpoints of the Swagger UI
         * login); defaults to quarkus.oidc.auth-server-url.
         */
        Optional<String> keycloakUrl();

        /** Public Keycloak client the Swagger UI logs in with (authorization code + PKCE). */
        @WithDefault("leads-web")
        String clientId();
    }

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

        /** Connect timeout of this upstream (default gateway.connect-timeout). */
        Optional<Duration> connectTimeout();

        /** Read timeout of this upstream (default gateway.read-timeout). */
        Optional<Duration> readTimeout();

        /** Largest body this route forwards (default gateway.max-body-size). */
        Optional<io.quarkus.runtime.configuration.MemorySize> maxBodySize();

        /** Per-route rate limits (requests per gateway.rate-limit.window); unset: the gateway-wide ones. */
        RouteLimits rateLimit();

        /** Per-route circuit breaker settings; unset: gateway.circuit-breaker.*. */
        RouteBreaker circuitBreaker();
    }

    interface RouteLimits {
        OptionalLong ip();

        OptionalLong user();

        OptionalLong client();

        OptionalLong partner();
    }

    interface RouteBreaker {
        OptionalInt failureThreshold();

        Optional<Duration> openDuration();
    }

    interface Cors {
        @WithDefault("http://127.0.0.1:3000,http://localhost:3000")
        List<String> origins();

        @WithDefault("GET,POST,PUT,PATCH,DELETE,OPTIONS")
        List<String> methods();

        @WithDefault("Authorization,Content-Type,Accept,X-Request-Id,traceparent,tracestate,Idempotency-Key")
        List<String> headers();

        @WithDefault("X-Request-Id,Location,WWW-Authenticate,Retry-After,RateLimit,RateLimit-Policy")
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
