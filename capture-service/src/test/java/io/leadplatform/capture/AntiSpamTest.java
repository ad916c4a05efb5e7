package io.leadplatform.capture;

import io.leadplatform.capture.service.FormTokens;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.leadplatform.capture.FormChannelTest.leadsWithEmail;
import static io.leadplatform.capture.FormFixtures.ORIGIN;
import static io.leadplatform.capture.FormFixtures.email;
import static io.leadplatform.capture.FormFixtures.newKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class AntiSpamTest {

    @Inject
    FormTokens tokens;

    private static String body(String email, String extraFields) {
        return "{\"email\":\"%s\",\"firstName\":\"Sam\",\"fields\":{\"model\":\"X5\"%s}}".formatted(email,
                extraFields == null ? "" : "," + extraFields);
    }

    @Test
    void renderGivesTheFieldsHoneypotAndASignedToken() {
        String key = newKey("render");
        FormFixtures.create(key, null);
        given().header("Origin", ORIGIN).get("/api/capture/forms/" + key + "/render")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ORIGIN))
                .header("Cache-Control", "no-store")
                .body("honeypotField", equalTo("website_url"))
                .body("renderToken", matchesPattern("[0-9]+\\.[A-Za-z0-9_-]+"))
                .body("fields", hasSize(6))
                .body("consent.version", equalTo("news-v2"))
                .body("submitUrl", equalTo("/api/capture/forms/" + key + "/submissions"))
                .body("$", not(org.hamcrest.Matchers.hasKey("allowedOrigins")));
        given().header("Origin", "https://evil.example.net").get("/api/capture/forms/" + key + "/render")
                .then().statusCode(403).contentType("application/problem+json");
        given().get("/api/capture/forms/no-such-form/render").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void spamIsAnsweredLikeSuccessButNotStoredAndCounted() {
        String key = newKey("spam");
        FormFixtures.create(key, "\"requireRenderToken\":true");
        String honeypot = email(), tooFast = email(), forged = email(), missing = email(), human = email();

        given().contentType(ContentType.JSON).header("X-Render-Token", tokens.renderToken(key, Instant.now().minusSeconds(10)))
                .body(body(honeypot, "\"website_url\":\"http://spam.example\""))
                .post("/api/capture/forms/" + key + "/submissions").then().statusCode(202).body("status", equalTo("received"));
        given().contentType(ContentType.JSON).header("X-Render-Token", tokens.renderToken(key, Instant.now()))
                .body(body(tooFast, null))
                .post("/api/capture/forms/" + key + "/submissions").then().statusCode(202);
        given().contentType(ContentType.JSON)
                .body(body(forged, "\"renderToken\":\"" + tokens.renderToken("contact", Instant.now().minusSeconds(10)) + "\""))
                .post("/api/capture/forms/" + key + "/submissions").then().statusCode(202);
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("email", missing).formParam("firstName", "Sam").formParam("model", "X5")
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(303).header("Location", equalTo("https://www.example.com/thanks"));
        // spam checks come first: a bot's invalid input is answered like success too
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\",\"fields\":{\"website_url\":\"x\"}}".formatted(email()))
                .post("/api/capture/forms/" + key + "/submissions").then().statusCode(202);

        for (String email : new String[]{honeypot, tooFast, forged, missing}) {
            leadsWithEmail(email, 0);
        }

        // a person who took their time gets through
        given().contentType(ContentType.JSON)
                .body(body(human, "\"renderToken\":\"" + tokens.renderToken(key, Instant.now().minusSeconds(5)) + "\""))
                .post("/api/capture/forms/" + key + "/submissions").then().statusCode(202);
        leadsWithEmail(human, 1);

        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/forms/" + key + "/stats")
                .then().statusCode(200)
                .body("submissions", equalTo(1))
                .body("spam", equalTo(5))
                .body("spamByReason.honeypot", equalTo(2))
                .body("spamByReason.too_fast", equalTo(1))
                .body("spamByReason.forged_token", equalTo(1))
                .body("spamByReason.missing_token", equalTo(1));
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("from", "yesterday")
                .get("/api/capture/forms/" + key + "/stats")
                .then().statusCode(422).body("errors[0].field", equalTo("from"));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/forms/no-such-form/stats")
                .then().statusCode(404);

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("capture_spam_total{reason=\"honeypot\"}"))
                .body(containsString("capture_spam_total{reason=\"too_fast\"}"));
    }

    @Test
    void perIpAndPerFormRateLimits() {
        String key = newKey("rate");
        FormFixtures.create(key, "\"rateLimits\":{\"perIpPerMinute\":2,\"perFormPerMinute\":4}");
        String[] emails = {email(), email(), email(), email(), email(), email()};
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "203.0.113.7").contentType(ContentType.JSON).body(body(emails[i], null))
                    .post("/api/capture/forms/" + key + "/submissions").then().statusCode(202);
        }
        leadsWithEmail(emails[0], 1);
        leadsWithEmail(emails[1], 1);
        leadsWithEmail(emails[2], 0);
        // other clients still get through until the form's own limit (4 a minute) is used up
        for (int i = 3; i < 6; i++) {
            given().header("X-Forwarded-For", "198.51.100." + i).contentType(ContentType.JSON).body(body(emails[i], null))
                    .post("/api/capture/forms/" + key + "/submissions").then().statusCode(202);
        }
        leadsWithEmail(emails[3], 1);
        leadsWithEmail(emails[4], 1);
        leadsWithEmail(emails[5], 0);
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/forms/" + key + "/stats")
                .then().statusCode(200)
                .body("submissions", equalTo(4))
                .body("spamByReason.rate_limit_ip", equalTo(1))
                .body("spamByReason.rate_limit_form", equalTo(1));
    }

    @Test
    void disposableDomainsAreFlaggedNotRejected() {
        String email = "someone-" + System.nanoTime() + "@mailinator.com";
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\"}".formatted(email))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(1))
                .body("items[0].disposableEmail", equalTo(true))
                .body("items[0].fields.disposableEmail", equalTo(true));
        String normal = email();
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\"}".formatted(normal))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", normal).get("/api/capture/leads")
                .then().statusCode(200).body("items[0].disposableEmail", equalTo(false));
    }
}
