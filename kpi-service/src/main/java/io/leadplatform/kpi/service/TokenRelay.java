package io.leadplatform.kpi.service;

import io.leadplatform.kpi.config.DashboardConfig;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.TimeoutException;

/**
 * Use case: the dashboard's browser exchanges its authorization code (with the PKCE verifier) or its refresh
 * token for tokens of the public client. The exchange runs here, server to server, so the page needs no
 * cross-origin call to Keycloak (whose allowed web origins list fixed ports only) and works on whatever
 * address the gateway has. Only these two grants pass, only for the dashboard's own redirect URI; what
 * Keycloak answers is passed back (its tokens), or a problem (its error, 502 when it cannot be reached).
 */
@ApplicationScoped
public class TokenRelay {

    /** The redirect URI path the dashboard logs in with (the page itself). */
    public static final String PAGE_PATH = "/api/kpi/dashboard";

    /** A code exchange or a refresh, as the page posts it. */
    public record Grant(String grantType, String code, String codeVerifier, String redirectUri, String refreshToken) {
    }

    private final WebClient client;
    private final String tokenUrl;
    private final String browserRealmUrl;
    private final DashboardConfig config;

    public TokenRelay(Vertx vertx, DashboardConfig config, @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl) {
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) config.tokenTimeout().toMillis()));
        this.tokenUrl = stripSlash(authServerUrl) + "/protocol/openid-connect/token";
        this.browserRealmUrl = stripSlash(config.publicAuthServerUrl().orElse(authServerUrl));
    }

    /** What the page needs to log in: the client, Keycloak's login and logout pages, where to exchange the code. */
    public JsonObject loginSettings() {
        return new JsonObject()
                .put("clientId", config.clientId())
                .put("authorizeUrl", browserRealmUrl + "/protocol/openid-connect/auth")
                .put("logoutUrl", browserRealmUrl + "/protocol/openid-connect/logout")
                .put("tokenPath", PAGE_PATH + "/token");
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Keycloak's token response (access, refresh and id token, lifetimes) as JSON. */
    public Uni<JsonObject> exchange(Grant grant) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("client_id", config.clientId());
        switch (grant.grantType() == null ? "" : grant.grantType()) {
            case "authorization_code" -> {
                form.add("grant_type", "authorization_code")
                        .add("code", required("code", grant.code()))
                        .add("code_verifier", required("code_verifier", grant.codeVerifier()))
                        .add("redirect_uri", pageUri(grant.redirectUri()));
            }
            case "refresh_token" -> form.add("grant_type", "refresh_token")
                    .add("refresh_token", required("refresh_token", grant.refreshToken()));
            default -> throw ProblemException.invalid("grant_type", "must be authorization_code or refresh_token");
        }
        return client.postAbs(tokenUrl).timeout(config.tokenTimeout().toMillis()).sendForm(form)
                .onFailure().transform(e -> new ProblemException(e instanceof TimeoutException || e.getCause() instanceof TimeoutException
                        ? Problem.of(504, "Gateway Timeout", "the login server did not answer in time")
                        : Problem.of(502, "Bad Gateway", "the login server cannot be reached")))
                .map(response -> {
                    JsonObject body;
                    try {
                        body = response.bodyAsJsonObject();
                    } catch (RuntimeException e) {
                        body = null;
                    }
                    if (response.statusCode() == 200 && body != null && body.containsKey("access_token")) {
                        return body;
                    }
                    if (response.statusCode() >= 400 && response.statusCode() < 500 && body != null) {
                        // invalid_grant (code used or expired, verifier wrong), invalid_client ...: the page logs in again
                        throw new ProblemException(Problem.of(400, "Login failed",
                                body.getString("error", "error") + ": " + body.getString("error_description", "the login server refused")));
                    }
                    throw new ProblemException(Problem.of(502, "Bad Gateway", "the login server answered " + response.statusCode()));
                });
    }

    /** The dashboard's own address only: this relay is not a token exchange for other applications. */
    static String pageUri(String redirectUri) {
        String uri = required("redirect_uri", redirectUri);
        java.net.URI parsed;
        try {
            parsed = new java.net.URI(uri);
        } catch (java.net.URISyntaxException e) {
            throw ProblemException.invalid("redirect_uri", "must be the dashboard's address");
        }
        if (parsed.getScheme() == null || !parsed.getScheme().matches("https?") || !PAGE_PATH.equals(parsed.getPath())
                || parsed.getQuery() != null || parsed.getFragment() != null) {
            throw ProblemException.invalid("redirect_uri", "must be the dashboard's address (" + PAGE_PATH + ")");
        }
        return uri;
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "is required");
        }
        if (value.length() > 8192) {
            throw ProblemException.invalid(field, "is too long");
        }
        return value;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
