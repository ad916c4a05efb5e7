package io.leadplatform.capture.rest;

import jakarta.enterprise.context.RequestScoped;

/**
 * The request's Origin when the form allows it: the response (success or problem) then carries
 * Access-Control-Allow-Origin for exactly that origin (see CorsHeaders). Never a wildcard.
 */
@RequestScoped
public class CorsDecision {

    private String allowedOrigin;

    public String allowedOrigin() {
        return allowedOrigin;
    }

    public void allow(String origin) {
        this.allowedOrigin = origin;
    }
}
