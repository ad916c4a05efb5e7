package io.leadplatform.testsupport;

import io.restassured.RestAssured;
import io.restassured.response.Response;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real access tokens from the local Keycloak (realm {@code leads}, see dev/realm/leads-realm.json).
 * Demo users log in through the public client with the password grant; partner clients use
 * client credentials. Tokens are cached per principal for the test JVM (they live 15 minutes).
 */
public final class Tokens {

    public static final String KEYCLOAK_URL = System.getProperty("keycloak.url",
            System.getenv().getOrDefault("KEYCLOAK_URL", "http://127.0.0.1:8180"));
    public static final String REALM = "leads";
    public static final String TOKEN_ENDPOINT = KEYCLOAK_URL + "/realms/" + REALM + "/protocol/openid-connect/token";

    private static final Map<String, String> PARTNER_SECRETS = Map.of(
            "partner-acme", "acme-secret",
            "partner-globex", "globex-secret");
    /** Tokens live 900 s in the realm: a long test run (a loaded machine) must not send an expired one. */
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();
    private static final long MARGIN_SECONDS = 60;

    private record Cached(String token, long expiresAt) {
    }

    private Tokens() {
    }

    /** An access token for a demo user (marketing, sales, admin, partner-user) or a partner client (partner-acme, partner-globex). */
    public static String of(String principal) {
        return CACHE.compute(principal, (p, cached) ->
                cached != null && cached.expiresAt() - MARGIN_SECONDS > System.currentTimeMillis() / 1000 ? cached : fetch(p)).token();
    }

    /** The value of an Authorization header for {@link #of(String)}. */
    public static String bearer(String principal) {
        return "Bearer " + of(principal);
    }

    private static Cached fetch(String principal) {
        var request = RestAssured.given().contentType("application/x-www-form-urlencoded");
        String secret = PARTNER_SECRETS.get(principal);
        if (secret != null) {
            request.formParam("grant_type", "client_credentials")
                    .formParam("client_id", principal)
                    .formParam("client_secret", secret);
        } else {
            request.formParam("grant_type", "password")
                    .formParam("client_id", "leads-web")
                    .formParam("username", principal)
                    .formParam("password", principal);
        }
        Response response = request.post(TOKEN_ENDPOINT);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused a token for " + principal + " (" + response.statusCode()
                    + "): is the stack up? dev/stack.sh up --infra. " + response.asString());
        }
        return new Cached(response.jsonPath().getString("access_token"),
                System.currentTimeMillis() / 1000 + response.jsonPath().getLong("expires_in"));
    }
}
