package io.leadplatform.gateway.routing;

import io.leadplatform.gateway.security.VerifiedTokenCache;
import io.micrometer.core.instrument.Counter;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Map;

/**
 * The lean entry for requests with a bearer token that was verified before: the token is looked up in
 * the {@link VerifiedTokenCache} (whole token string, until its {@code exp}), the route's role policy
 * ({@link RoutePermissions}) is checked on the identity, and the request goes to the {@link Forwarder}
 * from the first router filter, skipping the rest of the router (Quarkus' authentication and
 * authorization chain, CORS) — which does the same checks again at about a fifth of the gateway's CPU
 * per request.
 * <p>
 * A request takes this path only when all of these hold; otherwise it goes through the normal chain
 * unchanged (which verifies, answers 401/403, fills the cache):
 * <ul>
 * <li>an {@code Authorization: Bearer} token whose identity is in the cache and not expired;</li>
 * <li>the path lies under a route whose own permission is the only one that can apply to it, with
 * policy {@code authenticated} or roles only ({@link RoutePermissions#policyFor}), and the identity
 * passes that policy (a missing role goes the normal way, to its 403);</li>
 * <li>no {@code Origin} header (CORS answers stay with the normal chain);</li>
 * <li>every path segment is plain ({@link PublicFastPath#plainSegments}).</li>
 * </ul>
 * What it does for the request is what the normal chain does: request id (also in the logging MDC),
 * the caller's rate limit, the access log line, then the {@link Forwarder}.
 */
final class VerifiedTokenPath {

    private final List<UpstreamRoute> routes;
    private final RoutePermissions permissions;
    private final VerifiedTokenCache cache;
    private final Forwarder forwarder;
    private final RateLimits rateLimits;
    private final AccessLog accessLog;
    private final Map<String, Counter> taken;

    /** {@code routes}: longest prefix first; {@code taken}: a counter per route name. */
    VerifiedTokenPath(List<UpstreamRoute> routes, RoutePermissions permissions, VerifiedTokenCache cache,
            Forwarder forwarder, RateLimits rateLimits, AccessLog accessLog, Map<String, Counter> taken) {
        this.routes = List.copyOf(routes);
        this.permissions = permissions;
        this.cache = cache;
        this.forwarder = forwarder;
        this.rateLimits = rateLimits;
        this.accessLog = accessLog;
        this.taken = Map.copyOf(taken);
    }

    /** Whether the request was taken over (then the caller must not call {@code ctx.next()}). */
    boolean handle(RoutingContext ctx, Tracing.Hop hop) {
        HttpServerRequest request = ctx.request();
        MultiMap headers = request.headers();
        String authorization = headers.get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.length() <= 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || headers.contains(HttpHeaders.ORIGIN)) {
            return false;
        }
        String path = request.path();
        if (path == null || !path.startsWith("/api/") || !PublicFastPath.plainSegments(path)) {
            return false;
        }
        UpstreamRoute route = routeOf(path);
        if (route == null) {
            return false;
        }
        RoutePermissions.Policy policy = permissions.policyFor(route.prefix(), path);
        if (policy == null) {
            return false;
        }
        SecurityIdentity identity = cache.verified(authorization.substring(7).trim());
        if (identity == null || !policy.allows(identity)) {
            return false;
        }
        Counter counter = taken.get(route.name());
        if (counter != null) {
            counter.increment();
        }
        String requestId = accessLog.begin(ctx, hop, route.name());
        if (rateLimits.allow(request, route, identity)) {
            forwarder.forward(request, route, requestId, hop);
        }
        return true;
    }

    private UpstreamRoute routeOf(String path) {
        for (UpstreamRoute r : routes) {
            if (r.matches(path)) {
                return r;
            }
        }
        return null;
    }
}
