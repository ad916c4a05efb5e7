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

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class FormSubmissionTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    private static String email() {
        return "visitor-" + UUID.randomUUID() + "@example.com";
    }

    @Test
    void submissionStoresLeadAndEmitsValidEvent() {
        String email = email();
        given().contentType(ContentType.JSON)
                .body("""
                        {"email":"%s","firstName":"Zoë","lastName":"Ørsted","company":"Acme GmbH","country":"de",
                         "utm":{"source":"google","medium":"cpc","campaign":"winter"},
                         "consents":[{"purpose":"newsletter","granted":true,"textVersion":"v1"}],
                         "fields":{"configuration":{"model":"X5","color":"blue"}}}""".formatted(email))
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(202)
                .body("status", equalTo("received"))
                .body("leadId", nullValue());

        String leadId = given().header("Authorization", Tokens.bearer("marketing"))
                .queryParam("email", email)
                .get("/api/capture/leads")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].firstName", equalTo("Zoë"))
                .body("items[0].country", equalTo("DE"))
                .body("items[0].channel", equalTo("website"))
                .body("items[0].utm.source", equalTo("google"))
                .body("items[0].fields.configuration.model", equalTo("X5"))
                .body("items[0].consents.purpose", hasItem("newsletter"))
                .extract().path("items[0].id");

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> record = events.await(r -> r.key().equals(leadId), Duration.ofSeconds(60));
            JsonNode event = EventSchemas.assertValid(record.value());
            assertEquals("lead.captured", event.get("type").asText());
            assertEquals(leadId, event.get("subject").asText());
            assertEquals("winter", event.at("/data/utm/campaign").asText());
        }
    }

    @Test
    void knownEmailUpdatesTheSameLead() {
        String email = email();
        submit("{\"email\":\"%s\",\"firstName\":\"Ann\"}".formatted(email));
        submit("{\"email\":\"%s\",\"company\":\"Initech\"}".formatted(email.toUpperCase()));

        given().header("Authorization", Tokens.bearer("sales"))
                .queryParam("email", email)
                .get("/api/capture/leads")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].firstName", equalTo("Ann"))
                .body("items[0].company", equalTo("Initech"));

        String leadId = given().header("Authorization", Tokens.bearer("sales")).queryParam("email", email)
                .get("/api/capture/leads").then().extract().path("items[0].id");
        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> updated = events.await(
                    r -> r.key().equals(leadId) && r.value().contains("\"lead.updated\""), Duration.ofSeconds(60));
            EventSchemas.assertValid(updated.value());
        }
    }

    @Test
    void emailOnAReservedTopLevelDomainIsAccepted() {
        // regression: the event schema once rejected what the form accepted, and the submission failed with a 500
        submit("{\"email\":\"%s\"}".formatted("x-" + UUID.randomUUID() + "@bench.example"));
    }

    @Test
    void invalidFieldsAre422AndNothingIsWritten() {
        String email = "not-an-email";
        given().contentType(ContentType.JSON)
                .body("{\"email\":\"%s\",\"country\":\"Germany\",\"firstName\":\"a\\u0000b\"}".formatted(email))
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("country"))
                .body("errors.field", hasItem("firstName"));

        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                .get("/api/capture/leads").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void malformedWrongTypeOversizeAndUnknownForm() {
        given().contentType(ContentType.JSON).body("{\"email\": ")
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(400).contentType("application/problem+json").body("detail", notNullValue());

        given().contentType(ContentType.JSON).body("{\"email\": [1,2]}")
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(400).contentType("application/problem+json");

        given().contentType(ContentType.TEXT).body("email=a@b.c")
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(415).contentType("application/problem+json");

        given().contentType(ContentType.JSON).body("{\"email\":\"a@example.com\",\"company\":\"" + "x".repeat(1_100_000) + "\"}")
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(413);

        given().contentType(ContentType.JSON).body("{\"email\":\"%s\"}".formatted(email()))
                .post("/api/capture/forms/no-such-form/submissions")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void readingLeadsNeedsAStaffRole() {
        given().get("/api/capture/leads").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/capture/leads").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("cursor", "garbage!")
                .get("/api/capture/leads").then().statusCode(422).body("errors[0].field", equalTo("cursor"));
    }

    private static void submit(String json) {
        given().contentType(ContentType.JSON).body(json).post("/api/capture/forms/contact/submissions").then().statusCode(202);
    }
}
