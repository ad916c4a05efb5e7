package io.leadplatform.gateway.routing;

import io.vertx.httpproxy.HttpProxy;

import java.net.URI;

/** One configured route with the reverse proxy that serves it. */
public record UpstreamRoute(String name, String prefix, URI upstream, HttpProxy proxy) {

    public boolean matches(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
