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
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
class MergeTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @Test
    void staffMergeTwoLeadsAuditedAndUndoable() {
        String visitor = visitor();
        track("{\"events\":[%s]}".formatted(pageView(visitor, "https://example.com/other-page", 25)));
        String survivor = submit("""
                {"email":"%s","firstName":"Ann","consents":[{"purpose":"newsletter","granted":true,"textVersion":"nl-v1"}]}"""
                .formatted(email()));
        String other = submit("""
                {"email":"%s","company":"Initech","phone":"+49 30 1234","visitorId":"%s",
                 "consents":[{"purpose":"marketing_email","granted":true,"textVersion":"me-v3"}]}"""
                .formatted(email(), visitor));

        String mergeId = given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\",\"reason\":\"same person, confirmed on the phone\"}".formatted(other))
                .post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(201)
                .body("survivorId", equalTo(survivor))
                .body("mergedId", equalTo(other))
                .body("mergedBy", notNullValue())
                .body("movedActivities", equalTo(1))
                .extract().path("id");

        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + survivor)
                .then().statusCode(200)
                .body("firstName", equalTo("Ann"))
                .body("company", equalTo("Initech"))
                .body("phone", equalTo("+49 30 1234"))
                .body("consents.purpose", containsInAnyOrder("newsletter", "marketing_email"));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + survivor + "/timeline")
                .then().statusCode(200)
                .body("findAll { it.kind == 'merge' }.details.reason", contains("same person, confirmed on the phone"))
                .body("findAll { it.kind == 'consent' }.details.source", hasItem(startsWith("merge:" + mergeId)))
                .body("findAll { it.kind == 'activity' }.details.url", hasItem("https://example.com/other-page"));
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + other + "/export")
                .then().statusCode(200)
                .body("lead.mergedInto", equalTo(survivor))
                .body("activities", hasSize(0))
                .body("merges[0].mergedSnapshot.company", equalTo("Initech"));
        // the visitor's later activity now counts for the survivor
        track("{\"events\":[%s]}".formatted(pageView(visitor, "https://example.com/after-merge", 4)));

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> merged = events.await(r -> r.key().equals(other)
                    && r.value().contains("\"lead.merged\""), Duration.ofSeconds(60));
            JsonNode event = EventSchemas.assertValid(merged.value());
            assertEquals(survivor, event.at("/data/survivorId").asText());
            assertFalse(event.at("/data/undone").asBoolean());
            ConsumerRecord<String, String> updated = events.await(r -> r.key().equals(survivor)
                    && r.value().contains("\"lead.updated\"") && r.value().contains("marketing_email"), Duration.ofSeconds(60));
            EventSchemas.assertValid(updated.value());
            EventSchemas.assertValid(events.await(r -> r.key().equals(survivor) && r.value().contains("after-merge"),
                    Duration.ofSeconds(60)).value());
        }

        // a merged lead cannot be merged again
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\",\"reason\":\"again\"}".formatted(other))
                .post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(409).contentType("application/problem+json");

        given().header("Authorization", Tokens.bearer("admin")).post("/api/capture/merges/" + mergeId + "/undo")
                .then().statusCode(200).body("undoneAt", notNullValue()).body("undoneBy", notNullValue());
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + survivor)
                .then().statusCode(200)
                .body("company", nullValue())
                .body("consents.purpose", containsInAnyOrder("newsletter"));
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + other + "/export")
                .then().statusCode(200)
                .body("lead.mergedInto", nullValue())
                .body("lead.company", equalTo("Initech"))
                .body("activities.url", containsInAnyOrder("https://example.com/other-page", "https://example.com/after-merge"));
        given().header("Authorization", Tokens.bearer("admin")).post("/api/capture/merges/" + mergeId + "/undo")
                .then().statusCode(409).contentType("application/problem+json");

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> undone = events.await(r -> r.key().equals(other)
                    && r.value().contains("\"lead.merged\"") && r.value().contains("\"undone\":true"), Duration.ofSeconds(60));
            EventSchemas.assertValid(undone.value());
        }
    }

    @Test
    void undoIsRefusedOnceALeadChangedSinceTheMerge() {
        String email = email();
        String survivor = submit("{\"email\":\"%s\"}".formatted(email));
        String other = submit("{\"email\":\"%s\",\"lastName\":\"Other\"}".formatted(email()));
        String mergeId = given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\",\"reason\":\"duplicate\"}".formatted(other))
                .post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(201).extract().path("id");
        submit("{\"email\":\"%s\",\"jobTitle\":\"CTO\"}".formatted(email));
        given().header("Authorization", Tokens.bearer("marketing")).post("/api/capture/merges/" + mergeId + "/undo")
                .then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + survivor)
                .then().statusCode(200).body("jobTitle", equalTo("CTO")).body("lastName", equalTo("Other"));
    }

    @Test
    void aLaterSubmissionWithTheMergedLeadsEmailUpdatesTheSurvivor() {
        String otherEmail = email();
        String survivor = submit("{\"email\":\"%s\"}".formatted(email()));
        String other = submit("{\"email\":\"%s\"}".formatted(otherEmail));
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\",\"reason\":\"duplicate\"}".formatted(other))
                .post("/api/capture/leads/" + survivor + "/merge").then().statusCode(201);

        given().contentType(ContentType.JSON).body("{\"email\":\"%s\",\"jobTitle\":\"Buyer\"}".formatted(otherEmail))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);

        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + survivor)
                .then().statusCode(200).body("jobTitle", equalTo("Buyer"));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + other)
                .then().statusCode(200).body("jobTitle", nullValue());
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + survivor + "/timeline")
                .then().statusCode(200).body("findAll { it.kind == 'submission' }", hasSize(2));
    }

    @Test
    void badMergeRequestsChangeNothing() {
        String survivor = submit("{\"email\":\"%s\"}".formatted(email()));
        String other = submit("{\"email\":\"%s\",\"company\":\"Globex\"}".formatted(email()));
        String marketing = Tokens.bearer("marketing");

        given().header("Authorization", marketing).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\",\"reason\":\"self\"}".formatted(survivor))
                .post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(422).body("errors.field", hasItem("otherLeadId"));
        given().header("Authorization", marketing).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\",\"reason\":\"ghost\"}".formatted(UUID.randomUUID()))
                .post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(422).body("errors.field", hasItem("otherLeadId"));
        given().header("Authorization", marketing).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\"}".formatted(other))
                .post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("reason"));
        given().header("Authorization", marketing).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"not-a-uuid\",\"reason\":\"x\"}")
                .post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(422).contentType("application/problem+json");
        given().header("Authorization", marketing).contentType(ContentType.JSON).body("{\"otherLeadId\":")
                .post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", marketing).contentType(ContentType.JSON)
                .body("{\"otherLeadId\":\"%s\",\"reason\":\"x\"}".formatted(other))
                .post("/api/capture/leads/" + UUID.randomUUID() + "/merge")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", marketing).post("/api/capture/merges/" + UUID.randomUUID() + "/undo")
                .then().statusCode(404).contentType("application/problem+json");

        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + survivor)
                .then().statusCode(200).body("company", nullValue());
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + survivor + "/timeline")
                .then().statusCode(200).body("findAll { it.kind == 'merge' }", hasSize(0));
    }

    @Test
    void onlyMarketingAndAdminMayMerge() {
        String survivor = submit("{\"email\":\"%s\"}".formatted(email()));
        String other = submit("{\"email\":\"%s\"}".formatted(email()));
        String body = "{\"otherLeadId\":\"%s\",\"reason\":\"x\"}".formatted(other);
        given().contentType(ContentType.JSON).body(body).post("/api/capture/leads/" + survivor + "/merge")
                .then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(body)
                .post("/api/capture/leads/" + survivor + "/merge").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("partner-acme")).contentType(ContentType.JSON).body(body)
                .post("/api/capture/leads/" + survivor + "/merge").then().statusCode(403);
        given().post("/api/capture/merges/" + UUID.randomUUID() + "/undo").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).post("/api/capture/merges/" + UUID.randomUUID() + "/undo")
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + other + "/export")
                .then().statusCode(200).body("lead.mergedInto", nullValue());
    }
}
