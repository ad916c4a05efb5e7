package io.leadplatform.e2e;

import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * One lead end to end through the running suite (dev/stack.sh up): a public form post through the
 * gateway, capture-service stores it and relays lead.captured over Kafka, scoring-service scores
 * and stages it, kpi-service counts it; a marketing user reads all of it through the gateway with
 * a real Keycloak token.
 */
class LeadJourneyIT {

    static final String GATEWAY = System.getProperty("gateway.url", "http://127.0.0.1:8080");

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = GATEWAY;
    }

    @Test
    void visitorBecomesAScoredLeadAndIsCounted() {
        String channel = "website";
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        long before = leadsToday(channel, today);
        String email = "e2e-" + UUID.randomUUID() + "@acme-industries.com";

        given().contentType(ContentType.JSON)
                .body("""
                        {"email":"%s","firstName":"Erika","lastName":"Mustermann","company":"Acme Industries",
                         "jobTitle":"Head of Procurement","country":"DE","utm":{"source":"newsletter","medium":"email"},
                         "consents":[{"purpose":"newsletter","granted":true,"textVersion":"2026-11"}]}""".formatted(email))
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(202).body("status", equalTo("received"));

        String leadId = given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                .get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].company", equalTo("Acme Industries"))
                .extract().path("items[0].id");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/leads/" + leadId)
                        .then().statusCode(200).body("stage", equalTo("LEAD")).body("grade", equalTo("A")));

        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId + "/stages")
                .then().statusCode(200).body("", hasSize(1)).body("[0].to", equalTo("LEAD"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).queryParam("channel", channel)
                        .queryParam("from", today).queryParam("to", today)
                        .get("/api/kpi/leads").then().statusCode(200)
                        .body("total", greaterThanOrEqualTo((int) before + 1)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + leadId)
                        .then().statusCode(200).body("marketingConsent", equalTo(true)));
    }

    @Test
    void redeliveredEventIsNotCountedTwice() {
        String channel = "website";
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String email = "redeliver-" + UUID.randomUUID() + "@example.org";
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\"}".formatted(email))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        String leadId = given().header("Authorization", Tokens.bearer("admin")).queryParam("email", email)
                .get("/api/capture/leads").then().statusCode(200).extract().path("items[0].id");

        ConsumerRecord<String, String> captured;
        try (KafkaEvents events = KafkaEvents.read("capture.events")) {
            captured = events.await(r -> leadId.equals(r.key()) && r.value().contains("\"lead.captured\""), Duration.ofSeconds(60));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("admin")).get("/api/scoring/leads/" + leadId + "/stages")
                        .then().statusCode(200).body("", hasSize(1)));
        long counted = settledLeadsToday(channel, today);

        // the very same event (same id) arrives again, then a fresh lead whose arrival proves the redelivery was consumed
        KafkaEvents.send("capture.events", leadId, captured.value());
        String marker = "marker-" + UUID.randomUUID() + "@example.org";
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\"}".formatted(marker))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        String markerId = given().header("Authorization", Tokens.bearer("admin")).queryParam("email", marker)
                .get("/api/capture/leads").then().statusCode(200).extract().path("items[0].id");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("admin")).get("/api/scoring/leads/" + markerId).then().statusCode(200));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                org.junit.jupiter.api.Assertions.assertTrue(leadsToday(channel, today) >= counted + 1, "marker lead counted"));
        org.junit.jupiter.api.Assertions.assertEquals(counted + 1, settledLeadsToday(channel, today),
                "only the marker lead was added: the redelivered lead.captured was not counted again");

        given().header("Authorization", Tokens.bearer("admin")).get("/api/scoring/leads/" + leadId + "/stages")
                .then().statusCode(200).body("", hasSize(1));
    }

    @Test
    void tokensAndRolesAreEnforcedAtTheGateway() {
        given().get("/api/kpi/leads").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/kpi/leads").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/kpi/leads").then().statusCode(403);
        given().get("/api/capture/leads").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-token").get("/api/scoring/leads/" + UUID.randomUUID()).then().statusCode(401);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/kpi/leads").then().statusCode(200);
    }

    /** The count once kpi-service has caught up: two reads two seconds apart agree. */
    private static long settledLeadsToday(String channel, String today) {
        long previous = leadsToday(channel, today);
        while (true) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long now = leadsToday(channel, today);
            if (now == previous) {
                return now;
            }
            previous = now;
        }
    }

    private static long leadsToday(String channel, String today) {
        Number total = given().header("Authorization", Tokens.bearer("marketing")).queryParam("channel", channel)
                .queryParam("from", today).queryParam("to", today)
                .get("/api/kpi/leads").then().statusCode(200).extract().path("total");
        return total.longValue();
    }
}
