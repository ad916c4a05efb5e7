package io.leadplatform.gateway.routing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

import java.time.Duration;

/**
 * Adds X-Forwarded-For/-Proto/-Host and X-Request-Id to the upstream request (everything else
 * passes unchanged, Authorization included), and turns an upstream that cannot be reached or does
 * not answer in time into a 502 / 504 problem+json instead of an empty error.
 */
final class ForwardingInterceptor implements ProxyInterceptor {

    private final String routeName;
    private final Duration readTimeout;

    ForwardingInterceptor(String routeName, Duration readTimeout) {
        this.routeName = routeName;
        this.readTimeout = readTimeout;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        Forwarding.addForwardedHeaders(request.proxiedRequest(), request.headers());
        // X-Request-Id was set on the incoming request by the request-id filter and is copied as is.
        return context.sendRequest().recover(err -> Future.succeededFuture(problem(request, err)));
    }

    private ProxyResponse problem(ProxyRequest request, Throwable err) {
        HttpServerRequest incoming = request.proxiedRequest();
        Buffer body = Forwarding.upstreamProblem(routeName, request.getMethod(), incoming.path(), err, readTimeout);
        ProxyResponse response = request.release().response();
        response.setStatusCode(Forwarding.statusFor(err));
        response.headers().clear();
        response.putHeader("Content-Type", Problems.MEDIA_TYPE);
        response.putHeader("Content-Length", String.valueOf(body.length()));
        response.setBody(Body.body(body));
        return response;
    }
}
