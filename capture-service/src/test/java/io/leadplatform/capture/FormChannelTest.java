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

import java.time.Duration;
import java.time.Instant;

import static io.leadplatform.capture.FormFixtures.ORIGIN;
import static io.leadplatform.capture.FormFixtures.email;
import static io.leadplatform.capture.FormFixtures.newKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submissions against a form's field rules, plain HTML form posts, CORS. */
@QuarkusTest
class FormChannelTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @Inject
    FormTokens tokens;

    private String renderedTenSecondsAgo(String key) {
        return tokens.renderToken(key, Instant.now().minusSeconds(10));
    }

    @Test
    void jsonSubmissionIsValidatedAgainstTheFormsFields() {
        String key = newKey("rules");
        FormFixtures.create(key, null);
        String email = email();
        given().contentType(ContentType.JSON)
                .body("""
                        {"email":"%s","firstName":"%s","fields":{"model":"X7","zip":"12a45","budget":"lots"},
                         "consents":[{"purpose":"profiling","granted":true}]}""".formatted(email, "x".repeat(51)))
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("firstName", "model", "zip", "budget", "consents[0].purpose"));
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\"}".formatted(email))
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(422).body("errors.field", hasItems("firstName", "model"));
        leadsWithEmail(email, 0);

        given().contentType(ContentType.JSON)
                .body("""
                        {"email":"%s","firstName":"Ana","fields":{"model":"X5","zip":"80331","budget":"45000.50",
                         "configuration":{"model":"X5","trim":"M Sport","options":["towbar","heat-pump"]}},
                         "utm":{"source":"newsletter","medium":"email","campaign":"spring"},
                         "consents":[{"purpose":"newsletter","granted":true}]}""".formatted(email))
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(202);
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(1))
                .body("items[0].campaign", equalTo("spring-launch"))
                .body("items[0].sourceRef", equalTo(key))
                .body("items[0].status", equalTo("active"))
                .body("items[0].fields.configuration.options", hasItems("towbar", "heat-pump"))
                .body("items[0].utm.medium", equalTo("email"))
                .body("items[0].consents[0].textVersion", equalTo("news-v2"));
    }

    @Test
    void htmlFormPostIsStoredAndRedirected() {
        String key = newKey("html");
        FormFixtures.create(key, null);
        String email = email();
        String leadId;
        given().redirects().follow(false)
                .contentType(ContentType.URLENC.withCharset("UTF-8"))
                .formParam("email", email).formParam("first_name", "Zoë").formParam("model", "X3")
                .formParam("zip", "10115").formParam("utm_source", "google").formParam("utm_campaign", "spring")
                .formParam("consent", "on").formParam("interest", "leasing").formParam("interest", "financing")
                .formParam("renderToken", renderedTenSecondsAgo(key)).formParam("website_url", "")
                .header("Origin", ORIGIN)
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(303)
                .header("Location", equalTo("https://www.example.com/thanks"))
                .header("Access-Control-Allow-Origin", equalTo(ORIGIN));
        leadId = given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(1))
                .body("items[0].firstName", equalTo("Zoë"))
                .body("items[0].utm.source", equalTo("google"))
                .body("items[0].fields.model", equalTo("X3"))
                .body("items[0].fields.interest", hasItems("leasing", "financing"))
                .body("items[0].fields.renderToken", nullValue())
                .body("items[0].fields.website_url", nullValue())
                .body("items[0].consents.purpose", hasItems("newsletter", "marketing_email"))
                .extract().path("items[0].id");
        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> record = events.await(r -> r.key().equals(leadId), Duration.ofSeconds(60));
            JsonNode event = EventSchemas.assertValid(record.value());
            assertEquals("lead.captured", event.get("type").asText());
            assertEquals("spring", event.at("/data/utm/campaign").asText());
            assertEquals("X3", event.at("/data/fields/model").asText());
            assertTrue(event.at("/data/consents/0/granted").asBoolean());
        }

        // invalid HTML input: a 422 problem naming the field, nothing written
        String other = email();
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("email", other).formParam("first_name", "Max").formParam("model", "Z9")
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("model"));
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("email", "not-an-email").formParam("first_name", "Max").formParam("model", "X3")
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(422).body("errors.field", hasItem("email"));
        leadsWithEmail(other, 0);
    }

    @Test
    void corsOnlyForTheFormsOrigins() {
        String key = newKey("cors");
        FormFixtures.create(key, null);
        given().header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST")
                .options("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", equalTo(ORIGIN))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("X-Render-Token"));
        given().header("Origin", "https://evil.example.net").header("Access-Control-Request-Method", "POST")
                .options("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(403).contentType("application/problem+json")
                .header("Access-Control-Allow-Origin", nullValue());

        String email = email();
        given().header("Origin", "https://evil.example.net").contentType(ContentType.JSON)
                .body("{\"email\":\"%s\",\"firstName\":\"Eve\",\"fields\":{\"model\":\"X5\"}}".formatted(email))
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(403).contentType("application/problem+json")
                .header("Access-Control-Allow-Origin", nullValue());
        leadsWithEmail(email, 0);

        // an allowed origin reads the problem of its invalid submission too
        given().header("Origin", ORIGIN).contentType(ContentType.JSON)
                .body("{\"email\":\"%s\",\"firstName\":\"Eve\"}".formatted(email))
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(422).header("Access-Control-Allow-Origin", equalTo(ORIGIN));
        given().header("Origin", ORIGIN).contentType(ContentType.JSON)
                .body("{\"email\":\"%s\",\"firstName\":\"Eve\",\"fields\":{\"model\":\"X5\"}}".formatted(email))
                .post("/api/capture/forms/" + key + "/submissions")
                .then().statusCode(202).header("Access-Control-Allow-Origin", equalTo(ORIGIN));
        leadsWithEmail(email, 1);

        // the seeded contact form allows no cross-origin page at all
        given().header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST")
                .options("/api/capture/forms/contact/submissions").then().statusCode(403);
        given().header("Origin", ORIGIN).options("/api/capture/forms/no-such-form/submissions").then().statusCode(404);
    }

    static void leadsWithEmail(String email, int count) {
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(count));
    }
}
