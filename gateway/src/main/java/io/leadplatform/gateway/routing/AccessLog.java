package io.leadplatform.gateway.routing;

import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * One access log line per request when its response ends (the request id is in the MDC, so on the
 * line like on every other): method, redacted path (no
 * query string, ids and anything like personal data replaced), route, status and duration.
 */
final class AccessLog {

    private static final Logger ACCESS = Logger.getLogger("io.leadplatform.gateway.access");
    static final String ROUTE_KEY = "gateway.route";

    /** Logs the request when it ends; the route is read then from {@link #ROUTE_KEY} unless given. */
    void onEnd(RoutingContext ctx, String requestId, String route) {
        long start = System.nanoTime();
        ctx.addEndHandler(ar -> {
            if (!ACCESS.isInfoEnabled()) {
                return;
            }
            String r = route != null ? route : ctx.get(ROUTE_KEY);
            // plain concatenation: a format string costs more than the rest of the line on this path
            ACCESS.info(ctx.request().method() + " "
                    + GatewayRouter.redact(ctx.request().path()) + " route=" + (r == null ? "-" : r)
                    + " status=" + ctx.response().getStatusCode()
                    + " durationMs=" + (System.nanoTime() - start) / 1_000_000);
        });
    }
}
