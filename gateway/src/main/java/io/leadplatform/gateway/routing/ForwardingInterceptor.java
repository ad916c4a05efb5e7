package io.leadplatform.gateway.routing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Adds X-Forwarded-For/-Proto/-Host and X-Request-Id to the upstream request (everything else
 * passes unchanged, Authorization included), and turns an upstream that cannot be reached or does
 * not answer in time into a 502 / 504 problem+json instead of an empty error.
 */
final class ForwardingInterceptor implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(ForwardingInterceptor.class);

    private static final boolean TRACING = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("quarkus.otel.enabled", Boolean.class).orElse(true)
            && org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.otel.traces.enabled", Boolean.class).orElse(true);

    private final String routeName;
    private final Duration readTimeout;

    ForwardingInterceptor(String routeName, Duration readTimeout) {
        this.routeName = routeName;
        this.readTimeout = readTimeout;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        HttpServerRequest incoming = request.proxiedRequest();
        SocketAddress remote = incoming.remoteAddress();
        if (remote != null && remote.hostAddress() != null) {
            String previous = incoming.getHeader("X-Forwarded-For");
            request.putHeader("X-Forwarded-For",
                    previous == null || previous.isBlank() ? remote.hostAddress() : previous + ", " + remote.hostAddress());
        }
        request.putHeader("X-Forwarded-Proto", incoming.scheme() == null ? "http" : incoming.scheme());
        if (incoming.authority() != null) {
            request.putHeader("X-Forwarded-Host", incoming.authority().toString());
        }
        if (TRACING) {
            // the traced Vert.x HTTP client injects a child traceparent (same trace id) itself;
            // drop the copied one so the upstream gets exactly one
            request.headers().remove("traceparent");
            request.headers().remove("tracestate");
        }
        // X-Request-Id was set on the incoming request by the request-id filter and is copied as is.
        return context.sendRequest().recover(err -> Future.succeededFuture(problem(request, err)));
    }

    private ProxyResponse problem(ProxyRequest request, Throwable err) {
        boolean timeout = isTimeout(err);
        int status = timeout ? 504 : 502;
        LOG.warnf("upstream %s failed for %s: %s (%s) -> %d", routeName, request.getMethod(),
                err.getClass().getSimpleName(), err.getMessage(), status);
        String detail = timeout
                ? "The " + routeName + " service did not answer in time (connect or read timeout, read timeout "
                        + readTimeout.toSeconds() + " s)."
                : "The " + routeName + " service is unavailable.";
        Buffer body = Problems.body(timeout ? "upstream-timeout" : "upstream-unavailable",
                timeout ? "Gateway Timeout" : "Bad Gateway", status, detail, request.proxiedRequest().path());
        ProxyResponse response = request.release().response();
        response.setStatusCode(status);
        response.headers().clear();
        response.putHeader("Content-Type", Problems.MEDIA_TYPE);
        response.putHeader("Content-Length", String.valueOf(body.length()));
        response.setBody(Body.body(body));
        return response;
    }

    static boolean isTimeout(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            String name = t.getClass().getName().toLowerCase();
            String message = String.valueOf(t.getMessage()).toLowerCase();
            if (name.contains("timeout") || message.contains("timeout period") || message.contains("timed out")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
