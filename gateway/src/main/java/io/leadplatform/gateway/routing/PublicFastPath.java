package io.leadplatform.gateway.routing;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;

/**
 * The lean data path for anonymous posts to public endpoints (web form submissions, tracking
 * batches, partner webhooks): the hottest traffic of the platform, which needs no token check.
 * It runs as the first router filter and hands the request to the {@link Forwarder} (the one
 * data path every route uses), skipping the rest of the router (security filters, CORS). What the
 * normal path does for such a request it does too: a request id (also in the logging MDC), the
 * per-IP rate limit, the access log line, trace propagation, circuit breaker, body limit.
 * <p>
 * A request takes this path only when all of these hold, otherwise it goes through the normal
 * chain unchanged:
 * <ul>
 * <li>the method is POST and the path matches a public POST path of a route (an entry
 * {@code POST /path} or {@code /path} in {@code gateway.routes.<name>.public-paths}; {@code *}
 * is one path segment);</li>
 * <li>no {@code Authorization} header (a token that is sent is always checked);</li>
 * <li>no {@code Origin} header unless the path's CORS is the upstream's own;</li>
 * <li>every path segment is plain (letters, digits, {@code - _ . ~}; not {@code .} or {@code ..}),
 * so no encoded or dot segment can make the upstream see another path than the one matched.</li>
 * </ul>
 */
final class PublicFastPath {

    /** One public POST path of a route; {@code taken} counts the requests that went this way. */
    record Entry(String pattern, UpstreamRoute route, boolean corsByUpstream, Counter taken) {
    }

    private final List<Entry> entries;
    private final Forwarder forwarder;
    private final RateLimits rateLimits;
    private final AccessLog accessLog;

    PublicFastPath(List<Entry> entries, Forwarder forwarder, RateLimits rateLimits, AccessLog accessLog) {
        this.entries = List.copyOf(entries);
        this.forwarder = forwarder;
        this.rateLimits = rateLimits;
        this.accessLog = accessLog;
    }

    /** The POST paths of a route's public-paths entries ({@code POST /x} or {@code /x}). */
    static List<String> publicPostPaths(List<String> publicPaths) {
        return publicPaths.stream()
                .map(String::trim)
                .filter(p -> p.startsWith("/") || p.toUpperCase(Locale.ROOT).startsWith("POST "))
                .map(p -> p.startsWith("/") ? p : p.substring(5).trim())
                .toList();
    }

    /** Whether the request was taken over (then the caller must not call {@code ctx.next()}). */
    boolean handle(RoutingContext ctx, Tracing.Hop hop) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.POST || entries.isEmpty()) {
            return false;
        }
        String path = request.path();
        if (path == null || !plainSegments(path)) {
            return false;
        }
        Entry entry = match(path);
        if (entry == null) {
            return false;
        }
        MultiMap headers = request.headers();
        if (headers.contains(HttpHeaders.AUTHORIZATION)
                || (!entry.corsByUpstream() && headers.contains(HttpHeaders.ORIGIN))) {
            return false;
        }
        entry.taken().increment();
        forward(ctx, request, entry, hop);
        return true;
    }

    private Entry match(String path) {
        for (Entry e : entries) {
            if (GatewayRouter.matchesSegments(e.pattern(), path)) {
                return e;
            }
        }
        return null;
    }

    static boolean plainSegments(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/';
            if (c == '/') {
                int len = i - segmentStart;
                if (len == 0 || (len == 1 && path.charAt(segmentStart) == '.')
                        || (len == 2 && path.charAt(segmentStart) == '.' && path.charAt(segmentStart + 1) == '.')) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~')) {
                return false;
            }
        }
        return true;
    }

    private void forward(RoutingContext ctx, HttpServerRequest request, Entry entry, Tracing.Hop hop) {
        String requestId = accessLog.begin(ctx, hop, entry.route().name());
        if (rateLimits.allowAnonymous(request, entry.route())) {
            forwarder.forward(request, entry.route(), requestId, hop);
        }
    }
}
