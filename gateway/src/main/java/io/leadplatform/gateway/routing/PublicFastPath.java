package io.leadplatform.gateway.routing;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.Pipe;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The lean data path for anonymous posts to public endpoints (web form submissions, tracking
 * batches, partner webhooks): the hottest traffic of the platform, which needs no token check.
 * It runs as the first router filter and forwards with a plain keep-alive {@link HttpClient}
 * straight to the upstream, skipping the rest of the router (security filters, CORS, the
 * vertx-http-proxy pipeline). What the normal path does for such a request it does too: a request
 * id, X-Forwarded-* headers, the access log line, trace propagation, 502/504 problems.
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

    /** Hop-by-hop headers (RFC 9110 7.6.1) and Host, which are not forwarded as they are. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");

    /** One public POST path of a route; {@code taken} counts the requests that went this way. */
    record Entry(String pattern, UpstreamRoute route, RequestOptions origin, boolean corsByUpstream, Counter taken) {
    }

    private final List<Entry> entries;
    private final HttpClient client;
    private final Duration readTimeout;
    private final AccessLog accessLog;

    PublicFastPath(List<Entry> entries, HttpClient client, Duration readTimeout, AccessLog accessLog) {
        this.entries = List.copyOf(entries);
        this.client = client;
        this.readTimeout = readTimeout;
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
    boolean handle(RoutingContext ctx) {
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
        forward(ctx, request, entry);
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

    private void forward(RoutingContext ctx, HttpServerRequest request, Entry entry) {
        String requestId = RequestIds.resolve(request.getHeader(RequestIds.HEADER));
        HttpServerResponse response = request.response();
        response.putHeader(RequestIds.HEADER, requestId);
        accessLog.onEnd(ctx, requestId, entry.route().name());
        request.pause();
        client.request(new RequestOptions(entry.origin()).setMethod(HttpMethod.POST).setURI(request.uri()))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        upstreamFailed(request, entry, ar.cause());
                        return;
                    }
                    HttpClientRequest upstream = ar.result();
                    copyRequestHeaders(request, upstream, requestId);
                    upstream.idleTimeout(readTimeout.toMillis());
                    if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
                        upstream.setChunked(true);
                    }
                    upstream.response().onComplete(res -> {
                        if (res.failed()) {
                            upstreamFailed(request, entry, res.cause());
                            return;
                        }
                        relay(res.result(), response);
                    });
                    // a caller that goes away mid-body must not leave a half-sent request upstream
                    // (the upstream would wait for the rest until the read timeout): reset it
                    Pipe<Buffer> body = request.pipe();
                    body.endOnFailure(false);
                    body.to(upstream).onFailure(err -> upstream.reset(0, err));
                });
    }

    private void copyRequestHeaders(HttpServerRequest request, HttpClientRequest upstream, String requestId) {
        MultiMap out = upstream.headers();
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey();
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                out.add(name, h.getValue());
            }
        }
        if (request.authority() != null) {
            upstream.authority(request.authority());
        }
        Forwarding.addForwardedHeaders(request, out);
        out.set(RequestIds.HEADER, requestId);
    }

    private static void relay(HttpClientResponse upstream, HttpServerResponse response) {
        response.setStatusCode(upstream.statusCode());
        response.setStatusMessage(upstream.statusMessage());
        MultiMap out = response.headers();
        for (Map.Entry<String, String> h : upstream.headers()) {
            String name = h.getKey();
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase(RequestIds.HEADER)) {
                out.add(name, h.getValue());
            }
        }
        response.send(upstream).onFailure(err -> {
            if (!response.ended()) {
                response.reset();
            }
        });
    }

    private void upstreamFailed(HttpServerRequest request, Entry entry, Throwable err) {
        request.resume();
        Forwarding.sendUpstreamProblem(request.response(), entry.route().name(), request.method(), request.path(), err,
                readTimeout);
    }
}
