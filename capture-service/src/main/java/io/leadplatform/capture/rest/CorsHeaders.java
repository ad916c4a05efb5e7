package io.leadplatform.capture.rest;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Adds the CORS headers of public form endpoints for an origin the form allowed (CorsDecision). */
public class CorsHeaders {

    private final CorsDecision decision;

    public CorsHeaders(CorsDecision decision) {
        this.decision = decision;
    }

    @ServerResponseFilter
    public void addCorsHeaders(ContainerResponseContext response) {
        String origin = decision.allowedOrigin();
        if (origin != null) {
            apply(response.getHeaders(), origin);
        }
    }

    static void apply(MultivaluedMap<String, Object> headers, String origin) {
        headers.putSingle("Access-Control-Allow-Origin", origin);
        headers.putSingle("Vary", "Origin");
    }
}
