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

import static io.leadplatform.capture.TestLeads.email;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The browser's IANA time zone on the lead and in lead.captured / lead.updated (README "Time zone"). */
@QuarkusTest
class TimeZoneTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @Test
    void theZoneOfAJsonSubmissionIsStoredAndCarriedInTheEvents() {
        String email = email();
        String leadId = TestLeads.submit("{\"email\":\"%s\",\"timeZone\":\"America/New_York\"}".formatted(email));
        lead(leadId).body("timeZone", equalTo("America/New_York"));
        // a later submission without a zone keeps it, one with another zone replaces it (the visitor moved or travels)
        TestLeads.submit("{\"email\":\"%s\",\"company\":\"Initech\"}".formatted(email));
        lead(leadId).body("timeZone", equalTo("America/New_York"));
        TestLeads.submit("{\"email\":\"%s\",\"timeZone\":\"Asia/Tokyo\"}".formatted(email));
        lead(leadId).body("timeZone", equalTo("Asia/Tokyo"));

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            JsonNode captured = EventSchemas.assertValid(events.await(r -> r.key().equals(leadId)
                    && r.value().contains("\"lead.captured\""), Duration.ofSeconds(60)).value());
            assertEquals("America/New_York", captured.at("/data/timeZone").asText());
            ConsumerRecord<String, String> updated = events.await(r -> r.key().equals(leadId)
                    && r.value().contains("\"lead.updated\"") && r.value().contains("Asia/Tokyo"), Duration.ofSeconds(60));
            EventSchemas.assertValid(updated.value());
        }
    }

    @Test
    void aJsonSubmissionWithAZoneThatIsNotIanaIs422AndNothingIsWritten() {
        for (String zone : new String[]{"Mars/Olympus_Mons", "+02:00", "europe/berlin", "Europe/Berlin; drop table lead"}) {
            String email = email();
            given().contentType(ContentType.JSON).body("{\"email\":\"%s\",\"timeZone\":\"%s\"}".formatted(email, zone))
                    .post("/api/capture/forms/contact/submissions")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors.field", contains("timeZone"));
            given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email).get("/api/capture/leads")
                    .then().statusCode(200).body("items", hasSize(0));
        }
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\",\"timeZone\":\"%s\"}".formatted(email(), "A".repeat(65)))
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(422).body("errors.field", contains("timeZone"));
    }

    @Test
    void aPlainHtmlPostKeepsAValidZoneAndDropsAnInvalidOne() {
        String good = email();
        given().contentType(ContentType.URLENC).formParam("email", good).formParam("timeZone", "Europe/Berlin")
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        String bad = email();
        // the snippet fills the hidden field in: a zone this server does not know must not cost the person the submission
        given().contentType(ContentType.URLENC).formParam("email", bad).formParam("time_zone", "Mars/Olympus_Mons")
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        given().header("Authorization", Tokens.bearer("sales")).queryParam("email", good).get("/api/capture/leads")
                .then().statusCode(200).body("items[0].timeZone", equalTo("Europe/Berlin"));
        given().header("Authorization", Tokens.bearer("sales")).queryParam("email", bad).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].timeZone", nullValue())
                .body("items[0].fields.time_zone", nullValue());
    }

    private static io.restassured.response.ValidatableResponse lead(String id) {
        return given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + id).then().statusCode(200);
    }
}
