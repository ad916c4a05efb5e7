package io.leadplatform.kpi;

import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard page and its login exchange, against the real Keycloak. (The page itself runs in Chromium in
 * e2e-tests/browser.)
 */
@QuarkusTest
class DashboardTest {

    private static final String PAGE = "/api/kpi/dashboard";
    /** A redirect URI registered for the public client (the page's address through the local gateway). */
    private static final String REDIRECT = "http://127.0.0.1:8080" + PAGE;

    @Test
    void thePageIsPublicCarriesItsLoginSettingsAndAStrictPolicy() {
        String etag = given().get(PAGE).then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self'"))
                .header("Cache-Control", equalTo("no-cache"))
                .body(containsString("\"clientId\":\"leads-web\""),
                        containsString("\"authorizeUrl\":\"http://127.0.0.1:8180/realms/leads/protocol/openid-connect/auth\""),
                        containsString("/api/kpi/dashboard/echarts-5.3.1.min.js"), not(containsString("{{settings}}")))
                .extract().header("ETag");
        given().header("If-None-Match", etag).get(PAGE).then().statusCode(304);
    }

    @Test
    void scriptsAndEchartsAreServedHereAndNothingElseIs() {
        given().get(PAGE + "/dashboard.js").then().statusCode(200).contentType(containsString("text/javascript"))
                .body(containsString("code_challenge_method"));
        given().get(PAGE + "/dashboard.css").then().statusCode(200).contentType(containsString("text/css"));
        byte[] echarts = given().get(PAGE + "/echarts-5.3.1.min.js").then().statusCode(200)
                .header("Cache-Control", containsString("immutable")).extract().asByteArray();
        assertTrue(echarts.length > 500_000, "the whole ECharts bundle");
        given().get(PAGE + "/application.properties").then().statusCode(404);
        given().get(PAGE + "/..%2Fapplication.properties").then().statusCode(404);
        given().get(PAGE + "/index.html").then().statusCode(404);
    }

    /** The whole login: Keycloak's login page with PKCE, then the code exchanged here, then a refresh. */
    @Test
    void aCodeFromKeycloaksLoginPageIsExchangedWithItsVerifierAndRefreshed() throws Exception {
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString((UUID.randomUUID() + "-" + UUID.randomUUID())
                .getBytes(StandardCharsets.US_ASCII));
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String code = login("marketing", challenge);

        // the wrong verifier is refused by Keycloak, and the code is then spent
        String other = login("marketing", challenge);
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", other).formParam("code_verifier", verifier + "x").formParam("redirect_uri", REDIRECT)
                .post(PAGE + "/token").then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Login failed")).body("detail", startsWith("invalid_grant"));

        JsonPath tokens = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("code_verifier", verifier).formParam("redirect_uri", REDIRECT)
                .post(PAGE + "/token").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("access_token", notNullValue()).body("refresh_token", notNullValue()).body("id_token", notNullValue())
                .extract().jsonPath();
        JsonPath claims = claims(tokens.getString("access_token"));
        assertEquals("marketing", claims.getString("preferred_username"));
        assertTrue(claims.getList("realm_access.roles").contains("marketing"));
        // the token reads the reports
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).get("/api/kpi/reports/leads")
                .then().statusCode(200);

        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", tokens.getString("refresh_token"))
                .post(PAGE + "/token").then().statusCode(200).body("access_token", notNullValue());

        // a code is good once (and Keycloak ends the session its replay came from: the refresh above comes first)
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("code_verifier", verifier).formParam("redirect_uri", REDIRECT)
                .post(PAGE + "/token").then().statusCode(400);
    }

    @Test
    void otherGrantsAndAddressesAre422() {
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("username", "marketing").formParam("password", "marketing")
                .post(PAGE + "/token").then().statusCode(422).body("errors.field", hasItem("grant_type"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(PAGE + "/token").then().statusCode(422).body("errors.field", hasItem("grant_type"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code_verifier", "v").formParam("redirect_uri", REDIRECT)
                .post(PAGE + "/token").then().statusCode(422).body("errors.field", hasItem("code"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .post(PAGE + "/token").then().statusCode(422).body("errors.field", hasItem("refresh_token"));
        for (String uri : new String[]{"http://127.0.0.1:3000/other-app", REDIRECT + "?next=x", "javascript:alert(1)", "not a uri"}) {
            given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                    .formParam("code", "c").formParam("code_verifier", "v").formParam("redirect_uri", uri)
                    .post(PAGE + "/token").then().statusCode(422).body("errors.field", hasItem("redirect_uri"));
        }
    }

    @Test
    void theReportsStayProtected() {
        given().get("/api/kpi/reports/leads").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/kpi/reports/leads").then().statusCode(403);
    }

    /** Keycloak's own login page: GET the authorization endpoint, post the form, read the code from the redirect. */
    private static String login(String user, String challenge) {
        Response form = given().redirects().follow(false)
                .queryParam("client_id", "leads-web").queryParam("redirect_uri", REDIRECT).queryParam("response_type", "code")
                .queryParam("scope", "openid").queryParam("state", "s-1").queryParam("code_challenge", challenge)
                .queryParam("code_challenge_method", "S256")
                .get(Tokens.KEYCLOAK_URL + "/realms/leads/protocol/openid-connect/auth");
        assertEquals(200, form.statusCode(), form.asString());
        Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(action.find(), "Keycloak's login form");
        // Keycloak marks its cookies Secure, which the test client does not send back over http (a browser does for 127.0.0.1)
        String cookies = String.join("; ", form.headers().getValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0]).toList());
        Response answer = given().header("Cookie", cookies).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", user).formParam("password", user)
                .post(action.group(1).replace("&amp;", "&"));
        assertEquals(302, answer.statusCode(), answer.asString());
        URI location = URI.create(answer.header("Location"));
        assertTrue(location.toString().startsWith(REDIRECT + "?"), location.toString());
        String code = null;
        for (String pair : location.getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        assertNotNull(code, location.toString());
        return code;
    }

    private static JsonPath claims(String jwt) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
