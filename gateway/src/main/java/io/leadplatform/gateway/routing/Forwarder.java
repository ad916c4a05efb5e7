package io.leadplatform.gateway.routing;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.util.Map;
import java.util.Set;

/**
 * The one data path of the gateway: every request that a route serves (the anonymous public POSTs
 * of {@link PublicFastPath} and the authenticated requests after Quarkus' security layer) is
 * forwarded here with a plain keep-alive Vert.x {@link HttpClient}: path, query, headers and body go
 * upstream unchanged and streamed (hop-by-hop headers dropped, Host kept), plus X-Forwarded-For/
 * -Proto/-Host and X-Request-Id; the answer is streamed back. Before anything is sent upstream the
 * route's circuit breaker (503 + Retry-After while open) and body limit (413) are checked; an
 * upstream that cannot be reached or does not answer in time gives a 502/504 problem.
 */
final class Forwarder {

    /** Hop-by-hop headers (RFC 9110 7.6.1) and Host, which are not forwarded as they are. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    /** {@link #NOT_FORWARDED} by name length, for a case-insensitive check without a lower-cased copy. */
    private static final String[][] NOT_FORWARDED_BY_LENGTH = byLength(NOT_FORWARDED);

    /**
     * One client (one connection pool) per event loop thread: a connection is opened by, and only used
     * from, the event loop that serves the incoming request, so a proxied request never hops between
     * threads (each hop is a wake-up, which costs CPU and, on busy cores, latency).
     */
    private final ThreadLocal<HttpClient> clients;

    /** Answers up to this size are read whole and written with their head at once; larger ones stream. */
    static final long SMALL_BODY = 16 * 1024;

    Forwarder(java.util.function.Supplier<HttpClient> newClient) {
        this.clients = ThreadLocal.withInitial(newClient);
    }

    /** {@code hop}: the request's trace context (its traceparent replaces the caller's), null with tracing off. */
    void forward(HttpServerRequest request, UpstreamRoute route, String requestId, Tracing.Hop hop) {
        HttpServerResponse response = request.response();
        long retryAfter = route.breaker().tryPass();
        if (retryAfter > 0) {
            response.putHeader("Retry-After", Long.toString(retryAfter));
            Problems.send(response, "upstream-circuit-open", "Service Unavailable", 503,
                    "The " + route.name() + " service failed repeatedly; requests are paused for " + retryAfter
                            + " s.", request.path());
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length, route.maxBodySize())) {
            bodyTooLarge(request, route);
            return;
        }
        request.pause();
        clients.get().request(new RequestOptions(route.origin()).setMethod(request.method()).setURI(request.uri()))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        upstreamFailed(request, route, ar.cause());
                        return;
                    }
                    HttpClientRequest upstream = ar.result();
                    copyRequestHeaders(request, upstream, requestId, hop);
                    // the read timeout is the idle timeout of route.origin(), set on the request by Vert.x already
                    if (length == null && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                        upstream.setChunked(true);
                    }
                    upstream.response().onComplete(res -> {
                        if (res.failed()) {
                            upstreamFailed(request, route, res.cause());
                            return;
                        }
                        route.breaker().onSuccess();
                        relay(res.result(), response);
                    });
                    streamBody(request, upstream, route);
                });
    }

    /**
     * Copies the body with back-pressure, counting bytes (a chunked body has no length to check up
     * front); a caller that goes away mid-body resets the upstream request, so the upstream does not
     * wait for the rest until its read timeout.
     */
    private void streamBody(HttpServerRequest request, HttpClientRequest upstream, UpstreamRoute route) {
        long max = route.maxBodySize();
        long[] received = {0};
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] > max) {
                request.handler(null);
                // answer first: resetting the upstream request fails its response at once (same event loop)
                bodyTooLarge(request, route);
                upstream.reset(0);
                return;
            }
            upstream.write(chunk);
            if (upstream.writeQueueFull()) {
                request.pause();
                upstream.drainHandler(v -> request.resume());
            }
        });
        request.exceptionHandler(err -> upstream.reset(0, err));
        request.endHandler(v -> {
            if (received[0] <= max) {
                upstream.end();
            }
        });
        request.resume();
    }

    static boolean tooLarge(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length before we see it
        }
    }

    /**
     * 413 problem with {@code Connection: close}; the rest of the body is not forwarded. The connection
     * closes once the caller has sent the rest of it (read and dropped), or after {@link #LINGER_MILLIS}
     * or {@link #LINGER_BYTES}, whichever comes first: closing a socket while the caller's bytes are still
     * arriving makes the kernel answer with a reset, and a reset can destroy the 413 before the caller has
     * read it (the caller sees a connection with no answer). This is the "lingering close" of nginx.
     */
    private static void bodyTooLarge(HttpServerRequest request, UpstreamRoute route) {
        HttpServerResponse response = request.response();
        boolean linger = !response.ended() && !response.headWritten();
        if (linger) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        Problems.send(response, "payload-too-large", "Content Too Large", 413,
                "The request body is larger than the " + route.maxBodySize() + " bytes the " + route.name()
                        + " route accepts.", request.path());
        if (linger) {
            // not as the response's end handler: that one slot holds the router's end handlers (access line,
            // HTTP server timer, the span of a sampled request), which a handler of ours would replace
            lingeringClose(request);
        }
    }

    /** Longest time the rest of a refused body is read and dropped before the connection closes. */
    static final long LINGER_MILLIS = 5_000;
    /** Most bytes of a refused body read and dropped before the connection closes anyway. */
    static final long LINGER_BYTES = 64L * 1024 * 1024;

    private static void lingeringClose(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        Context context = Vertx.currentContext();
        if (request.isEnded() || context == null) {
            connection.close();
            return;
        }
        Vertx vertx = context.owner();
        long[] dropped = {0};
        boolean[] closed = {false};
        Runnable close = () -> {
            if (!closed[0]) {
                closed[0] = true;
                connection.close();
            }
        };
        long timer = vertx.setTimer(LINGER_MILLIS, t -> close.run());
        Runnable done = () -> {
            vertx.cancelTimer(timer);
            close.run();
        };
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > LINGER_BYTES) {
                done.run();
            }
        });
        request.endHandler(v -> done.run());
        request.exceptionHandler(err -> done.run());
        request.resume();
    }

    private static void copyRequestHeaders(HttpServerRequest request, HttpClientRequest upstream, String requestId,
            Tracing.Hop hop) {
        MultiMap out = upstream.headers();
        boolean replaceTraceparent = hop != null;
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey();
            // the headers set below are not copied first (a set would remove the copy again: one add each)
            if (!notForwarded(name) && !replaced(name, replaceTraceparent)) {
                out.add(name, h.getValue());
            }
        }
        if (request.authority() != null) {
            upstream.authority(request.authority());
        }
        Forwarding.addForwardedHeaders(request, out);
        out.add(RequestIds.HEADER, requestId);
        if (replaceTraceparent) {
            // exactly one traceparent upstream: the gateway's hop as the parent (tracestate, baggage as sent)
            out.add(Forwarding.TRACEPARENT, hop.traceparent());
        }
    }

    /** Headers the gateway sets itself on the upstream request (instead of the caller's). */
    private static boolean replaced(String name, boolean traceparent) {
        return switch (name.length()) {
            case 11 -> traceparent && name.equalsIgnoreCase(Forwarding.TRACEPARENT);
            case 12 -> name.equalsIgnoreCase(RequestIds.HEADER);
            case 15 -> name.equalsIgnoreCase(Forwarding.X_FORWARDED_FOR);
            case 16 -> name.equalsIgnoreCase(Forwarding.X_FORWARDED_HOST);
            case 17 -> name.equalsIgnoreCase(Forwarding.X_FORWARDED_PROTO);
            default -> false;
        };
    }

    /** Whether a header is hop-by-hop or Host (case-insensitive; per header of every request and answer). */
    static boolean notForwarded(String name) {
        int length = name.length();
        if (length >= NOT_FORWARDED_BY_LENGTH.length) {
            return false;
        }
        for (String candidate : NOT_FORWARDED_BY_LENGTH[length]) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String[][] byLength(Set<String> names) {
        int max = names.stream().mapToInt(String::length).max().orElse(0);
        String[][] table = new String[max + 1][];
        for (int length = 0; length <= max; length++) {
            int l = length;
            table[length] = names.stream().filter(n -> n.length() == l).toArray(String[]::new);
        }
        return table;
    }

    private static void relay(HttpClientResponse upstream, HttpServerResponse response) {
        if (response.ended() || response.headWritten()) {
            // already answered (e.g. 413 while the body was still streaming): drop the upstream's answer
            upstream.request().reset(0);
            return;
        }
        response.setStatusCode(upstream.statusCode());
        response.setStatusMessage(upstream.statusMessage());
        MultiMap out = response.headers();
        for (Map.Entry<String, String> h : upstream.headers()) {
            String name = h.getKey();
            if (!notForwarded(name) && !name.equalsIgnoreCase(RequestIds.HEADER)) {
                out.add(name, h.getValue());
            }
        }
        if (smallBody(upstream)) {
            // one write of head and body (the usual JSON answer), no pipe and back-pressure machinery
            upstream.body().onComplete(body -> {
                if (response.ended() || response.closed()) {
                    return; // the caller went away meanwhile
                }
                if (body.succeeded()) {
                    response.end(body.result());
                } else {
                    response.reset();
                }
            });
            return;
        }
        response.send(upstream).onFailure(err -> {
            if (!response.ended()) {
                response.reset();
            }
        });
    }

    /** An answer with a body of at most {@link #SMALL_BODY} bytes (by its Content-Length), not to a HEAD. */
    private static boolean smallBody(HttpClientResponse upstream) {
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || upstream.request().getMethod() == io.vertx.core.http.HttpMethod.HEAD) {
            return false;
        }
        try {
            long n = Long.parseLong(length.trim());
            return n >= 0 && n <= SMALL_BODY;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void upstreamFailed(HttpServerRequest request, UpstreamRoute route, Throwable err) {
        request.resume();
        if (request.response().ended()) {
            return;
        }
        route.breaker().onFailure();
        Forwarding.sendUpstreamProblem(request.response(), route.name(), request.method(), request.path(), err,
                route.readTimeout());
    }
}
