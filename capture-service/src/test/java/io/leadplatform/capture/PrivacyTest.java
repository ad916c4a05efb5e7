package io.leadplatform.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.leadplatform.capture.TestLeads.email;
import static io.leadplatform.capture.TestLeads.pageView;
import static io.leadplatform.capture.TestLeads.submit;
import static io.leadplatform.capture.TestLeads.track;
import static io.leadplatform.capture.TestLeads.visitor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
class PrivacyTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @Test
    void withdrawingAConsentIsRecordedAndEmitted() {
        String leadId = submit("""
                {"email":"%s","consents":[{"purpose":"newsletter","granted":true,"textVersion":"nl-2026-11"},
                                          {"purpose":"marketing_email","granted":true,"textVersion":"me-v3"}]}"""
                .formatted(email()));

        given().header("Authorization", Tokens.bearer("marketing"))
                .post("/api/capture/leads/" + leadId + "/consents/newsletter/withdraw")
                .then().statusCode(200)
                .body("consents.find { it.purpose == 'newsletter' }.granted", equalTo(false))
                .body("consents.find { it.purpose == 'newsletter' }.textVersion", equalTo("nl-2026-11"))
                .body("consents.find { it.purpose == 'newsletter' }.source", containsString("withdrawal:"))
                .body("consents.find { it.purpose == 'marketing_email' }.granted", equalTo(true));
        // again: unchanged
        given().header("Authorization", Tokens.bearer("admin"))
                .post("/api/capture/leads/" + leadId + "/consents/newsletter/withdraw")
                .then().statusCode(200).body("consents.find { it.purpose == 'newsletter' }.granted", equalTo(false));

        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + leadId + "/timeline")
                .then().statusCode(200)
                .body("[0].kind", equalTo("consent"))
                .body("[0].details.purpose", equalTo("newsletter"))
                .body("[0].details.granted", equalTo(false))
                .body("findAll { it.kind == 'consent' }", hasSize(3))
                .body("findAll { it.kind == 'consent' && it.details.granted }.details.source", everyItem(equalTo("form:contact")));

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> updated = events.await(r -> r.key().equals(leadId)
                    && r.value().contains("\"lead.updated\"") && r.value().contains("\"granted\":false"), Duration.ofSeconds(60));
            JsonNode event = EventSchemas.assertValid(updated.value());
            boolean withdrawn = false;
            for (JsonNode c : event.at("/data/consents")) {
                withdrawn |= c.get("purpose").asText().equals("newsletter") && !c.get("granted").asBoolean();
            }
            assertEquals(true, withdrawn);
        }
    }

    @Test
    void consentAndTimelineGuardTheirInput() {
        String leadId = submit("{\"email\":\"%s\"}".formatted(email()));
        given().post("/api/capture/leads/" + leadId + "/consents/newsletter/withdraw").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales"))
                .post("/api/capture/leads/" + leadId + "/consents/newsletter/withdraw").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("marketing"))
                .post("/api/capture/leads/" + UUID.randomUUID() + "/consents/newsletter/withdraw")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing"))
                .post("/api/capture/leads/" + leadId + "/consents/news%20letter%3Cscript%3E/withdraw")
                .then().statusCode(422).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing"))
                .post("/api/capture/leads/not-a-uuid/consents/newsletter/withdraw")
                .then().statusCode(404);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + leadId)
                .then().statusCode(200).body("consents", hasSize(0));

        given().get("/api/capture/leads/" + leadId + "/timeline").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/capture/leads/" + leadId + "/timeline")
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + UUID.randomUUID() + "/timeline")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("limit", 0)
                .get("/api/capture/leads/" + leadId + "/timeline")
                .then().statusCode(422).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("limit", 1)
                .get("/api/capture/leads/" + leadId + "/timeline")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].kind", equalTo("submission"))
                .body("[0].details.formKey", equalTo("contact"));
    }

    @Test
    void exportHoldsEverythingAndOnlyAdminsMayExport() {
        String visitor = visitor();
        track("{\"events\":[%s]}".formatted(pageView(visitor, "https://example.com/gdpr", 12)));
        String email = email();
        String leadId = submit("""
                {"email":"%s","firstName":"Zoë","phone":"+1 555 0100","visitorId":"%s","fields":{"budget":"10k"},
                 "consents":[{"purpose":"newsletter","granted":true,"textVersion":"nl-1"}]}""".formatted(email, visitor));

        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + leadId + "/export")
                .then().statusCode(200)
                .header("Content-Disposition", containsString("attachment"))
                .body("lead.email", equalTo(email))
                .body("lead.firstName", equalTo("Zoë"))
                .body("lead.consents[0].textVersion", equalTo("nl-1"))
                .body("consentHistory", hasSize(1))
                .body("submissions", hasSize(1))
                .body("submissions[0].payload.budget", equalTo("10k"))
                .body("activities[0].url", equalTo("https://example.com/gdpr"))
                .body("visitorIds", hasItem(visitor))
                .body("merges", hasSize(0));

        given().get("/api/capture/leads/" + leadId + "/export").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + leadId + "/export")
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + leadId + "/export")
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + UUID.randomUUID() + "/export")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void erasureRemovesPersonalDataKeepsAggregatesAndIsIdempotent() {
        String visitor = visitor();
        track("{\"events\":[%s]}".formatted(pageView(visitor, "https://example.com/erase-me", 9)));
        String email = email();
        String leadId = submit("""
                {"email":"%s","firstName":"Erik","lastName":"Eraseme","company":"Umbrella","phone":"+44 20 7946 0000",
                 "country":"GB","visitorId":"%s","utm":{"source":"linkedin","campaign":"q4"},"fields":{"note":"call me"},
                 "consents":[{"purpose":"newsletter","granted":true,"textVersion":"nl-1"}]}""".formatted(email, visitor));

        given().delete("/api/capture/leads/" + leadId).then().statusCode(401);
        given().header("Authorization", Tokens.bearer("marketing")).delete("/api/capture/leads/" + leadId).then().statusCode(403);
        given().header("Authorization", Tokens.bearer("admin")).delete("/api/capture/leads/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");

        given().header("Authorization", Tokens.bearer("admin")).delete("/api/capture/leads/" + leadId).then().statusCode(204);

        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + leadId + "/export")
                .then().statusCode(200)
                .body("lead.email", matchesPattern("erased\\+[0-9a-f]{64}@erased\\.invalid"))
                .body("lead.firstName", nullValue())
                .body("lead.lastName", nullValue())
                .body("lead.company", nullValue())
                .body("lead.phone", nullValue())
                .body("lead.fields", anEmptyMap())
                .body("lead.consents", hasSize(0))
                .body("lead.erasedAt", not(nullValue()))
                .body("lead.channel", equalTo("website"))
                .body("lead.source", equalTo("form"))
                .body("lead.country", equalTo("GB"))
                .body("lead.utm.campaign", equalTo("q4"))
                .body("submissions", hasSize(1))
                .body("submissions[0].payload", anEmptyMap())
                .body("submissions[0].visitorId", nullValue())
                .body("activities", hasSize(0))
                .body("visitorIds", hasSize(0));
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(0));

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> erased = events.await(r -> r.key().equals(leadId)
                    && r.value().contains("\"lead.erased\""), Duration.ofSeconds(60));
            JsonNode event = EventSchemas.assertValid(erased.value());
            assertEquals(leadId, event.at("/data/leadId").asText());
            assertFalse(erased.value().contains(email));
        }

        // idempotent: erasing again answers 204 and changes nothing
        given().header("Authorization", Tokens.bearer("admin")).delete("/api/capture/leads/" + leadId).then().statusCode(204);
        // the visitor's activity is no longer linked: new activity stays anonymous, the erased lead gets nothing
        track("{\"events\":[%s]}".formatted(pageView(visitor, "https://example.com/after-erasure", 3)));
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + leadId + "/export")
                .then().statusCode(200).body("activities", hasSize(0));
        given().header("Authorization", Tokens.bearer("marketing"))
                .post("/api/capture/leads/" + leadId + "/consents/newsletter/withdraw")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\",\"reason\":\"x\"}".formatted(leadId))
                .post("/api/capture/leads/" + submit("{\"email\":\"%s\"}".formatted(email())) + "/merge")
                .then().statusCode(409).contentType("application/problem+json");
    }
}
