package io.leadplatform.e2e;

import io.leadplatform.testsupport.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Marketing's side of scoring through the gateway: models are listed and validated, a candidate is
 * backtested over stored activity before anyone switches to it, and a lead's score explains itself.
 * Nothing here activates a model (that would rescore every lead of the running suite).
 */
class ScoringModelsIT {

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = System.getProperty("gateway.url", "http://127.0.0.1:8080");
    }

    @Test
    void modelsAreValidatedBacktestedAndScoresExplainThemselves() {
        // a lead with some website activity, captured through the gateway
        String visitorId = UUID.randomUUID().toString();
        String now = Instant.now().toString();
        given().contentType(ContentType.JSON)
                .body("{\"events\":[{\"visitorId\":\"%s\",\"type\":\"webinar\",\"url\":\"https://www.example.com/webinars/roi\",\"occurredAt\":\"%s\"}]}"
                        .formatted(visitorId, now))
                .post("/api/capture/track").then().statusCode(202);
        String email = "model-check-" + UUID.randomUUID() + "@initech-corp.com";
        given().contentType(ContentType.JSON)
                .body("{\"email\":\"%s\",\"company\":\"Initech\",\"jobTitle\":\"VP Sales\",\"country\":\"DE\",\"visitorId\":\"%s\"}"
                        .formatted(email, visitorId))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        String leadId = given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                .get("/api/capture/leads").then().statusCode(200).extract().path("items[0].id");

        // its score, explained: fit rules, engagement rules with their events, and why it is (not) an MQL
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                        .then().statusCode(200)
                        .body("engagementRules.rule", hasItem("webinar")));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/leads/" + leadId)
                .then().statusCode(200)
                .body("grade", notNullValue())
                .body("temperature", notNullValue())
                .body("mql.reason", startsWith("grade "))
                .body("engagementRules.find { it.rule == 'webinar' }.events[0].rawPoints", greaterThanOrEqualTo(1f))
                .body("contributions", not(org.hamcrest.Matchers.empty()));

        // the active model, as marketing reads it
        List<Map<String, Object>> models = given().header("Authorization", Tokens.bearer("marketing"))
                .get("/api/scoring/models").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> active = models.stream().filter(m -> Boolean.TRUE.equals(m.get("active"))).findFirst()
                .orElseThrow(() -> new AssertionError("no active model: " + models));
        @SuppressWarnings("unchecked")
        Map<String, Object> definition = (Map<String, Object>) given().header("Authorization", Tokens.bearer("marketing"))
                .get("/api/scoring/models/" + active.get("id")).then().statusCode(200).extract().path("model");

        // an invalid model is refused with the offending field, nothing saved
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("name", "broken-" + UUID.randomUUID(), "model", Map.of("fitRules", List.of())))
                .post("/api/scoring/models")
                .then().statusCode(422).contentType("application/problem+json").body("errors[0].field", notNullValue());

        // a candidate is backtested over the stored activity: the lead above is among the leads replayed
        Instant from = Instant.now().minus(1, ChronoUnit.DAYS);
        Instant to = Instant.now().plus(1, ChronoUnit.MINUTES);
        Map<String, Object> strict = new HashMap<>(definition);
        strict.put("mql", Map.of("minGrade", "A", "minEngagement", 100_000));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("model", strict, "from", from.toString(), "to", to.toString()))
                .post("/api/scoring/models/backtest")
                .then().statusCode(200)
                .body("leads", greaterThanOrEqualTo(1))
                .body("wouldBeMql", equalTo(0));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("model", strict, "from", to.toString(), "to", from.toString()))
                .post("/api/scoring/models/backtest")
                .then().statusCode(422).body("errors[0].field", equalTo("to"));

        // who may: models are marketing's (and admin's); sales and partners are refused, anonymous callers too
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body(Map.of("model", strict, "from", from.toString(), "to", to.toString()))
                .post("/api/scoring/models/backtest").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/scoring/models").then().statusCode(403);
        given().get("/api/scoring/models").then().statusCode(401);
    }
}
