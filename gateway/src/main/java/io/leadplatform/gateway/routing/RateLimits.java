package io.leadplatform.gateway.routing;

import io.leadplatform.gateway.config.GatewayConfig;
import io.leadplatform.gateway.limits.RateLimiter;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who the caller is for rate limiting, and the answer: a key per route and caller class — the client
 * IP for anonymous requests, the partner id for partners, the client id for machine clients
 * (client-credentials tokens), the user ({@code sub}) for people — each with its own limit. Every
 * limited response carries the IETF {@code RateLimit-Policy} and {@code RateLimit} headers; a request
 * over the limit gets 429 problem+json with {@code Retry-After}.
 */
final class RateLimits {

    enum CallerClass { IP, USER, CLIENT, PARTNER }

    private final RateLimiter limiter;
    private final boolean enabled;
    private final boolean trustForwardedFor;
    private final long windowSeconds;

    RateLimits(RateLimiter limiter, GatewayConfig.RateLimit config) {
        this.limiter = limiter;
        this.enabled = config.enabled();
        this.trustForwardedFor = config.trustForwardedFor();
        this.windowSeconds = Math.max(1, limiter.window().toSeconds());
    }

    /** Whether the request may go on; if not, the 429 problem has been sent. */
    boolean allowAnonymous(HttpServerRequest request, UpstreamRoute route) {
        return !enabled || check(request, route, CallerClass.IP, clientIp(request));
    }

    boolean allow(HttpServerRequest request, UpstreamRoute route, SecurityIdentity identity) {
        if (!enabled) {
            return true;
        }
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return check(request, route, CallerClass.IP, clientIp(request));
        }
        if (identity.hasRole("partner")) {
            Object partner = jwt.getClaim("partner_id");
            return check(request, route, CallerClass.PARTNER, partner != null ? partner.toString() : clientId(jwt));
        }
        Object username = jwt.getClaim("preferred_username");
        if (jwt.containsClaim("client_id") || (username != null && username.toString().startsWith("service-account-"))) {
            return check(request, route, CallerClass.CLIENT, clientId(jwt));
        }
        return check(request, route, CallerClass.USER, jwt.getSubject() != null ? jwt.getSubject() : clientId(jwt));
    }

    private static String clientId(JsonWebToken jwt) {
        Object azp = jwt.getClaim("azp");
        Object clientId = azp != null ? azp : jwt.getClaim("client_id");
        return clientId == null ? "-" : clientId.toString();
    }

    private boolean check(HttpServerRequest request, UpstreamRoute route, CallerClass caller, String who) {
        long limit = switch (caller) {
            case IP -> route.limits().ip();
            case USER -> route.limits().user();
            case CLIENT -> route.limits().client();
            case PARTNER -> route.limits().partner();
        };
        if (limit <= 0) {
            return true; // 0 = no limit for this class on this route
        }
        String policy = caller.name().toLowerCase(java.util.Locale.ROOT);
        RateLimiter.Decision d = limiter.consume(route.name() + '|' + policy + '|' + who, limit);
        HttpServerResponse response = request.response();
        response.putHeader("RateLimit-Policy", '"' + policy + "\";q=" + limit + ";w=" + windowSeconds);
        response.putHeader("RateLimit", '"' + policy + "\";r=" + d.remaining() + ";t=" + d.resetSeconds());
        if (d.allowed()) {
            return true;
        }
        response.putHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
        Problems.send(response, "rate-limited", "Too Many Requests", 429,
                "More than " + limit + " requests in " + windowSeconds + " s on the " + route.name()
                        + " route for this " + (caller == CallerClass.IP ? "client address" : policy)
                        + "; retry after " + d.retryAfterSeconds() + " s.", request.path());
        return false;
    }

    String clientIp(HttpServerRequest request) {
        if (trustForwardedFor) {
            String xff = request.getHeader("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                int comma = xff.lastIndexOf(',');
                return (comma < 0 ? xff : xff.substring(comma + 1)).trim();
            }
        }
        SocketAddress remote = request.remoteAddress();
        return remote == null ? "-" : remote.hostAddress();
    }
}
