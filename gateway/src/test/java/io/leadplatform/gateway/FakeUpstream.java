package io.leadplatform.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A plain Vert.x HTTP server on a random 127.0.0.1 port that echoes method, path, query,
 * Authorization, forwarding headers and body as JSON; every route of the gateway points at it,
 * plus a route /api/down at a closed port. Path /.../slow never answers (read timeout).
 */
public class FakeUpstream implements QuarkusTestResourceLifecycleManager {

    /** Requests whose connection closed or was reset before their body was complete. */
    public static final java.util.concurrent.atomic.AtomicInteger ABORTED = new java.util.concurrent.atomic.AtomicInteger();

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().endsWith("/slow")) {
                return; // never answers
            }
            req.body().onFailure(err -> ABORTED.incrementAndGet()).onSuccess(body -> {
                JsonObject echo = new JsonObject()
                        .put("method", req.method().name())
                        .put("path", req.path())
                        .put("query", req.query())
                        .put("authorization", req.getHeader("Authorization"))
                        .put("contentType", req.getHeader("Content-Type"))
                        .put("xForwardedFor", req.getHeader("X-Forwarded-For"))
                        .put("xForwardedProto", req.getHeader("X-Forwarded-Proto"))
                        .put("xForwardedHost", req.getHeader("X-Forwarded-Host"))
                        .put("xRequestId", req.getHeader("X-Request-Id"))
                        .put("traceparent", String.join(" | ", req.headers().getAll("traceparent")))
                        .put("tracestate", req.getHeader("tracestate"))
                        .put("origin", req.getHeader("Origin"))
                        .put("body", body.toString());
                var response = req.response().putHeader("Content-Type", "application/json");
                if (req.method().name().equals("OPTIONS")) {
                    response.putHeader("Access-Control-Allow-Origin", req.getHeader("Origin"));
                    response.putHeader("X-Upstream-Preflight", "yes");
                }
                response.end(echo.encode());
            });
        });
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream did not start", e);
        }
        String url = "http://127.0.0.1:" + port;
        return Map.ofEntries(
                Map.entry("gateway.routes.limited.prefix", "/api/limited"),
                Map.entry("gateway.routes.limited.upstream", url),
                Map.entry("gateway.routes.limited.public-paths", "POST /api/limited/forms/*/submissions"),
                Map.entry("gateway.routes.limited.rate-limit.ip", "2"),
                Map.entry("gateway.routes.limited.rate-limit.user", "3"),
                Map.entry("gateway.routes.limited.rate-limit.partner", "1"),
                Map.entry("gateway.routes.broken.prefix", "/api/broken"),
                Map.entry("gateway.routes.broken.upstream", "http://127.0.0.1:" + closedPort()),
                Map.entry("gateway.routes.broken.circuit-breaker.failure-threshold", "2"),
                Map.entry("gateway.routes.broken.circuit-breaker.open-duration", "30s"),
                Map.entry("gateway.routes.capture.upstream", url),
                Map.entry("gateway.routes.scoring.upstream", url),
                Map.entry("gateway.routes.nurturing.upstream", url),
                Map.entry("gateway.routes.kpi.upstream", url),
                Map.entry("gateway.routes.down.prefix", "/api/down"),
                Map.entry("gateway.routes.down.upstream", "http://127.0.0.1:" + closedPort()),
                Map.entry("gateway.routes.down.public-paths", "POST /api/down/forms/*/submissions"),
                Map.entry("gateway.read-timeout", "2s"));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
