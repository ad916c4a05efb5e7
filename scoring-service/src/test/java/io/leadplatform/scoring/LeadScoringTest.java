package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class LeadScoringTest {

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;

    @ConfigProperty(name = "platform.outbox.topic")
    String scoringTopic;

    @Test
    void capturedLeadIsScoredStagedAndEventsAreValid() {
        UUID leadId = UUID.randomUUID();
        KafkaEvents.send(captureTopic, leadId.toString(),
                TestEvents.leadCaptured(UUID.randomUUID(), leadId, "ann@acme-" + leadId + ".com", "website"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                        .then().statusCode(200));

        given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/leads/" + leadId)
                .then().statusCode(200)
                .body("stage", equalTo("LEAD"))
                .body("grade", equalTo("A"))
                .body("fit", equalTo(35))
                .body("temperature", equalTo("cold"))
                .body("contributions", hasSize(4));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/leads/" + leadId + "/stages")
                .then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].to", equalTo("LEAD"))
                .body("[0].actor", equalTo("system"));

        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            ConsumerRecord<String, String> scored = events.await(
                    r -> r.key().equals(leadId.toString()) && r.value().contains("\"lead.scored\""), Duration.ofSeconds(20));
            JsonNode scoredEvent = EventSchemas.assertValid(scored.value());
            assertEquals("A", scoredEvent.at("/data/grade").asText());
            ConsumerRecord<String, String> staged = events.await(
                    r -> r.key().equals(leadId.toString()) && r.value().contains("\"lead.stage-changed\""), Duration.ofSeconds(20));
            EventSchemas.assertValid(staged.value());
        }
    }

    /**
     * A consumed event with a {@code traceparent} header (as the outbox relays send them) is scored and its events
     * published with at most one trace header. A batch is one transaction for many records, so no record's span is
     * current while it is scored: today they carry none.
     */
    @Test
    void aTracedCapturedEventIsScoredAndPublishedWithAtMostOneTraceparent() {
        UUID leadId = UUID.randomUUID();
        KafkaEvents.send(captureTopic, leadId.toString(),
                TestEvents.leadCaptured(UUID.randomUUID(), leadId, "tracy@acme-" + leadId + ".com", "website"),
                Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            ConsumerRecord<String, String> scored = events.await(
                    r -> r.key().equals(leadId.toString()) && r.value().contains("\"lead.scored\""), Duration.ofSeconds(30));
            EventSchemas.assertValid(scored.value());
            List<String> traceparents = KafkaEvents.headerValues(scored, "traceparent");
            assertTrue(traceparents.size() <= 1, "at most one traceparent: " + traceparents);
        }
    }

    @Test
    void redeliveredEventChangesNothing() {
        UUID leadId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        String event = TestEvents.leadCaptured(eventId, leadId, "bob@globex-" + leadId + ".com", "partner");
        KafkaEvents.send(captureTopic, leadId.toString(), event);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId + "/stages")
                        .then().statusCode(200).body("", hasSize(1)));
        String updatedAt = given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                .then().extract().path("updatedAt");

        KafkaEvents.send(captureTopic, leadId.toString(), event);
        // a later, different event for another lead proves the redelivery was consumed before we look
        UUID marker = UUID.randomUUID();
        KafkaEvents.send(captureTopic, leadId.toString(), TestEvents.leadCaptured(UUID.randomUUID(), marker, "m@x-" + marker + ".com", "web"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + marker).then().statusCode(200));

        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                .then().statusCode(200).body("updatedAt", equalTo(updatedAt));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId + "/stages")
                .then().statusCode(200).body("", hasSize(1));
        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            List<ConsumerRecord<String, String>> scored = events.collect(
                    r -> r.key().equals(leadId.toString()) && r.value().contains("\"lead.scored\""), Duration.ofSeconds(3));
            assertEquals(1, scored.size(), "a redelivered event must not be scored twice");
        }
    }

    /**
     * capture.events also carries website.activity (page views of any visitor, key = visitor id): scoring ignores it,
     * even when it names a known lead, and a record key that is not a lead id breaks nothing.
     */
    @Test
    void websiteActivityIsIgnored() {
        UUID leadId = UUID.randomUUID();
        KafkaEvents.send(captureTopic, leadId.toString(), TestEvents.leadCaptured(UUID.randomUUID(), leadId, "wa@acme-" + leadId + ".com", "website"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId).then().statusCode(200));
        io.restassured.path.json.JsonPath before = given().header("Authorization", Tokens.bearer("sales"))
                .get("/api/scoring/leads/" + leadId).then().extract().jsonPath();

        UUID visitorId = UUID.randomUUID();
        String key = "visitor:" + visitorId;
        String websiteActivity = """
                {"specversion":"1.0","id":"%s","source":"/capture-service","type":"website.activity","time":"2026-12-01T10:00:00Z",
                 "subject":"%s","datacontenttype":"application/json",
                 "data":{"visitorId":"%s","sessionId":"s-1","leadId":"%s","occurredAt":"2026-12-01T10:00:00Z","path":"/pricing",
                         "host":"shop.example","referrerHost":"www.google.com","utm":{},"channel":"organic_search",
                         "durationSeconds":120,"sessionStart":true}}"""
                .formatted(UUID.randomUUID(), visitorId, visitorId, leadId);
        EventSchemas.assertValid(websiteActivity);
        KafkaEvents.send(captureTopic, key, websiteActivity);
        // a later event with the same key (same partition) proves the page view was consumed before we look
        UUID marker = UUID.randomUUID();
        KafkaEvents.send(captureTopic, key, TestEvents.leadCaptured(UUID.randomUUID(), marker, "m@x-" + marker + ".com", "web"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + marker).then().statusCode(200));

        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + visitorId).then().statusCode(404);
        // (scoredAt may move: the background rescoring round re-scores leads without changing them)
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                .then().statusCode(200)
                .body("updatedAt", equalTo(before.getString("updatedAt")))
                .body("engagement", equalTo(before.<Object>get("engagement"))) // same number type as read (another test may switch RestAssured to doubles)
                .body("contributions", equalTo(before.getList("contributions")));
    }

    @Test
    void scoresNeedAStaffRoleAndUnknownLeadIs404() {
        given().get("/api/scoring/leads/" + UUID.randomUUID()).then().statusCode(401);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/scoring/leads/" + UUID.randomUUID())
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }
}
