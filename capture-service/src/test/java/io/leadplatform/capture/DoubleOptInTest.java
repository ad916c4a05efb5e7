package io.leadplatform.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.capture.service.FormTokens;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.leadplatform.capture.FormFixtures.email;
import static io.leadplatform.capture.FormFixtures.newKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class DoubleOptInTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @Inject
    FormTokens tokens;

    @Test
    void leadStaysUnconfirmedUntilTheSignedLinkIsUsed() {
        String key = newKey("doi");
        FormFixtures.create(key, "\"doubleOptIn\":true,\"confirmRedirect\":\"https://www.example.com/confirmed\"");
        String email = email();
        given().contentType(ContentType.JSON)
                .body("""
                        {"email":"%s","firstName":"Ida","fields":{"model":"X5"},
                         "consents":[{"purpose":"newsletter","granted":true}]}""".formatted(email))
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(202);
        String leadId = given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                .get("/api/capture/leads").then().statusCode(200)
                .body("items[0].status", equalTo("unconfirmed"))
                .body("items[0].confirmedAt", nullValue())
                .extract().path("items[0].id");

        String confirmUrl;
        try (KafkaEvents events = KafkaEvents.read(topic)) {
            // the later event first: KafkaEvents.await keeps the records before a match, not those after it
            JsonNode optin = EventSchemas.assertValid(events.await(
                    r -> r.key().equals(leadId) && r.value().contains("\"lead.optin-requested\""), Duration.ofSeconds(60)).value());
            JsonNode captured = EventSchemas.assertValid(events.await(
                    r -> r.key().equals(leadId) && r.value().contains("\"lead.captured\""), Duration.ofSeconds(60)).value());
            assertEquals("unconfirmed", captured.at("/data/status").asText());
            assertFalse(captured.at("/data/consents/0/granted").asBoolean(), "no consent in force before confirmation");
            assertEquals(key, optin.at("/data/formKey").asText());
            assertEquals("news-v2", optin.at("/data/consentVersion").asText());
            Instant expires = Instant.parse(optin.at("/data/expiresAt").asText());
            assertTrue(expires.isAfter(Instant.now().plus(Duration.ofHours(47))) && expires.isBefore(Instant.now().plus(Duration.ofHours(49))));
            confirmUrl = optin.at("/data/confirmUrl").asText();
            assertTrue(confirmUrl.contains("/api/capture/forms/" + key + "/confirm?token="), confirmUrl);

            String pathAndQuery = URI.create(confirmUrl).getRawPath() + "?" + URI.create(confirmUrl).getRawQuery();
            given().redirects().follow(false).urlEncodingEnabled(false).get(pathAndQuery)
                    .then().statusCode(303).header("Location", equalTo("https://www.example.com/confirmed"));

            JsonNode updated = EventSchemas.assertValid(events.await(
                    r -> r.key().equals(leadId) && r.value().contains("\"lead.updated\""), Duration.ofSeconds(60)).value());
            assertEquals("confirmed", updated.at("/data/status").asText());
            assertTrue(updated.at("/data/consents/0/granted").asBoolean(), "consent in force after confirmation");

            String confirmedAt = given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + leadId)
                    .then().statusCode(200).body("status", equalTo("confirmed")).body("confirmedAt", notNullValue())
                    .extract().path("confirmedAt");

            // reuse is harmless: same redirect, nothing changes
            given().redirects().follow(false).urlEncodingEnabled(false).get(pathAndQuery)
                    .then().statusCode(303).header("Location", equalTo("https://www.example.com/confirmed"));
            given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + leadId)
                    .then().statusCode(200).body("confirmedAt", equalTo(confirmedAt));
            assertEquals(1, events.collect(r -> r.key().equals(leadId) && r.value().contains("\"lead.updated\""),
                    Duration.ofSeconds(3)).size(), "a second use of the link emits nothing");
        }
    }

    @Test
    void forgedExpiredOrForeignTokensAreRejected() {
        String key = newKey("doi-bad");
        FormFixtures.create(key, "\"doubleOptIn\":true");
        String email = email();
        given().contentType(ContentType.JSON)
                .body("{\"email\":\"%s\",\"firstName\":\"Bo\",\"fields\":{\"model\":\"X3\"}}".formatted(email))
                .post("/api/capture/forms/" + key + "/submissions").then().statusCode(202);
        UUID leadId = UUID.fromString(given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                .get("/api/capture/leads").then().extract().path("items[0].id"));

        String valid = tokens.confirmToken(leadId, key, Instant.now().plusSeconds(3600));
        String forged = valid.substring(0, valid.length() - 2) + (valid.endsWith("A") ? "BB" : "AA");
        given().queryParam("token", forged).get("/api/capture/forms/" + key + "/confirm")
                .then().statusCode(400).contentType("application/problem+json");
        given().queryParam("token", "garbage").get("/api/capture/forms/" + key + "/confirm")
                .then().statusCode(400).contentType("application/problem+json");
        given().get("/api/capture/forms/" + key + "/confirm").then().statusCode(400);
        given().queryParam("token", valid).get("/api/capture/forms/contact/confirm")
                .then().statusCode(400);
        given().queryParam("token", tokens.confirmToken(leadId, key, Instant.now().minusSeconds(1)))
                .get("/api/capture/forms/" + key + "/confirm")
                .then().statusCode(410).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + leadId)
                .then().statusCode(200).body("status", equalTo("unconfirmed"));

        // the genuine link still works (redirect: the form's success page, as no confirmation page is set)
        given().redirects().follow(false).queryParam("token", valid).get("/api/capture/forms/" + key + "/confirm")
                .then().statusCode(303).header("Location", equalTo("https://www.example.com/thanks"));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + leadId)
                .then().statusCode(200).body("status", equalTo("confirmed"));
    }
}
