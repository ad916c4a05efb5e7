package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.scoring.service.LifecycleService;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ActivityScoringTest {

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;

    @ConfigProperty(name = "mp.messaging.incoming.nurturing-events.topic")
    String nurturingTopic;

    @ConfigProperty(name = "platform.outbox.topic")
    String scoringTopic;

    @Inject
    LifecycleService lifecycle;

    @BeforeAll
    static void doubles() {
        RestAssured.config = RestAssured.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private UUID capturedLead() {
        UUID leadId = UUID.randomUUID();
        KafkaEvents.send(captureTopic, leadId.toString(),
                TestEvents.leadCaptured(UUID.randomUUID(), leadId, "ann@acme-" + leadId + ".com", "website"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId).then().statusCode(200));
        return leadId;
    }

    private void activity(UUID leadId, String type, Instant at, String url, Integer seconds) {
        KafkaEvents.send(captureTopic, leadId.toString(), TestEvents.activity(UUID.randomUUID(), leadId, type, at, url, seconds, false));
    }

    /** Capture → engaged enough (webinar, download, pricing page) → MQL, with the events valid on Kafka. */
    private UUID mqlLead() {
        UUID leadId = capturedLead();
        Instant now = Instant.now();
        activity(leadId, "webinar", now.minus(1, ChronoUnit.DAYS), null, null);
        activity(leadId, "download", now.minus(2, ChronoUnit.DAYS), null, null);
        activity(leadId, "page_view", now.minus(1, ChronoUnit.HOURS), "https://acme.io/pricing", 90);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                        .then().statusCode(200).body("stage", equalTo("MQL")));
        return leadId;
    }

    @Test
    void activitiesRaiseEngagementToMqlAndTheScoreExplainsItself() {
        UUID leadId = mqlLead();
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/leads/" + leadId)
                .then().statusCode(200)
                .body("grade", equalTo("A"))
                .body("fit", equalTo(35))
                .body("temperature", equalTo("warm"))
                .body("engagement", closeTo(44.6, 0.2))
                .body("mql.qualifies", equalTo(true))
                .body("mql.gradePasses", equalTo(true))
                .body("mql.engagementPasses", equalTo(true))
                .body("mql.reason", startsWith("grade A meets the minimum B; engagement"))
                .body("fitRules", hasSize(4))
                .body("engagementRules.rule", hasItem("webinar"))
                .body("engagementRules.find { it.rule == 'webinar' }.events", hasSize(1))
                .body("engagementRules.find { it.rule == 'webinar' }.events[0].rawPoints", equalTo(20.0))
                .body("engagementRules.find { it.rule == 'webinar' }.events[0].decayedPoints", closeTo(19.85, 0.01))
                .body("engagementRules.find { it.rule == 'webinar' }.capped", equalTo(false))
                .body("contributions", hasSize(4 + 5));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId + "/stages")
                .then().statusCode(200)
                .body("", hasSize(2))
                .body("[1].from", equalTo("LEAD"))
                .body("[1].to", equalTo("MQL"))
                .body("[1].actor", equalTo("system"))
                .body("[1].reason", containsString("qualified by model default@1"));
        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            ConsumerRecord<String, String> toMql = events.await(r -> r.key().equals(leadId.toString())
                    && r.value().contains("\"lead.stage-changed\"") && r.value().contains("\"to\":\"MQL\""), Duration.ofSeconds(20));
            EventSchemas.assertValid(toMql.value());
            ConsumerRecord<String, String> scored = events.await(r -> r.key().equals(leadId.toString())
                    && r.value().contains("\"lead.scored\"") && r.value().contains("\"webinar\""), Duration.ofSeconds(20));
            JsonNode event = EventSchemas.assertValid(scored.value());
            assertEquals("default@1", event.at("/data/modelVersion").asText());
        }
    }

    @Test
    void botEmailTrafficNeverScoresAndBouncesSubtract() {
        UUID leadId = capturedLead();
        UUID botOpen = UUID.randomUUID();
        Instant now = Instant.now();
        KafkaEvents.send(nurturingTopic, leadId.toString(), TestEvents.email(botOpen, leadId, "opened", true, now));
        KafkaEvents.send(nurturingTopic, leadId.toString(), TestEvents.email(UUID.randomUUID(), leadId, "clicked", false, now));
        KafkaEvents.send(nurturingTopic, leadId.toString(), TestEvents.email(UUID.randomUUID(), leadId, "delivered", false, now));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                        .then().statusCode(200).body("engagementRules.rule", hasItem("email-click")));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                .then().body("ignoredBotEvents", equalTo(List.of(botOpen.toString())))
                .body("engagementRules", hasSize(1))
                .body("engagement", closeTo(5.0, 0.01));
        KafkaEvents.send(nurturingTopic, leadId.toString(), TestEvents.email(UUID.randomUUID(), leadId, "bounced", false, now));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                        .then().statusCode(200).body("engagement", closeTo(-5.0, 0.01))
                        .body("temperature", equalTo("cold")));
    }

    @Test
    void salesQualifyWithBantOpenAnOpportunityAndWinTheDeal() {
        UUID leadId = mqlLead();
        String base = "/api/scoring/leads/" + leadId;
        Map<String, Object> twoOfFour = Map.of(
                "budget", Map.of("met", false, "note", "no budget before Q3"),
                "authority", Map.of("met", true, "note", "CMO"),
                "need", Map.of("met", true),
                "timing", Map.of("met", false));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(twoOfFour)
                .post(base + "/accept")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("budget.met", "timing.met")))
                .body("errors[0].message", containsString("BANT 2 of 4 met (needs at least 3)"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body(twoOfFour)
                .post(base + "/accept").then().statusCode(403);
        given().contentType(ContentType.JSON).body(twoOfFour).post(base + "/accept").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body(Map.of("budget", Map.of("met", true))).post(base + "/accept")
                .then().statusCode(422).body("errors.field", hasItem("authority"));
        given().header("Authorization", Tokens.bearer("sales")).get(base + "/stages").then().body("", hasSize(2));

        Map<String, Object> threeOfFour = Map.of(
                "budget", Map.of("met", true, "note", "50k approved"),
                "authority", Map.of("met", true, "note", "CMO"),
                "need", Map.of("met", true),
                "timing", Map.of("met", false));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(threeOfFour)
                .post(base + "/accept")
                .then().statusCode(200).body("from", equalTo("MQL")).body("to", equalTo("SQL")).body("actor", equalTo("sales"))
                .body("reason", containsString("BANT 3 of 4 met")).body("reason", containsString("budget: 50k approved"));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(threeOfFour)
                .post(base + "/accept")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("the lead is already SQL"));
        Map<String, Object> deal = Map.of("outcome", "won", "revenue", 48000, "grossMargin", 21000.5, "currency", "EUR");
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(deal)
                .post(base + "/deal")
                .then().statusCode(409).body("detail", containsString("OPPORTUNITY"));
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON).body(Map.of("note", "demo booked"))
                .post(base + "/opportunity")
                .then().statusCode(200).body("to", equalTo("OPPORTUNITY")).body("actor", equalTo("admin"));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body(Map.of("outcome", "maybe", "revenue", -1, "grossMargin", 1, "currency", "euro"))
                .post(base + "/deal")
                .then().statusCode(422).body("errors", hasSize(3));
        String dealId = given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(deal)
                .post(base + "/deal")
                .then().statusCode(200).body("stage", equalTo("CUSTOMER")).body("outcome", equalTo("won"))
                .extract().path("dealId");
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body(Map.of("reasonCode", "recycle")).post(base + "/reject")
                .then().statusCode(409).body("detail", containsString("CUSTOMER is final"));
        given().header("Authorization", Tokens.bearer("marketing")).get(base + "/stages")
                .then().statusCode(200).body("to", equalTo(List.of("LEAD", "MQL", "SQL", "OPPORTUNITY", "CUSTOMER")));
        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            ConsumerRecord<String, String> closed = events.await(r -> r.key().equals(leadId.toString())
                    && r.value().contains("\"deal.closed\""), Duration.ofSeconds(20));
            JsonNode event = EventSchemas.assertValid(closed.value());
            assertEquals(dealId, event.at("/data/dealId").asText());
            assertEquals(48000, event.at("/data/revenue").asInt());
            assertEquals("website", event.at("/data/channel").asText());
        }
    }

    @Test
    void salesRejectAndAnIllegalMoveIs409() {
        UUID leadId = capturedLead();
        String base = "/api/scoring/leads/" + leadId;
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(Map.of())
                .post(base + "/opportunity")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("a lead cannot move from LEAD to OPPORTUNITY; allowed next: [MQL, RECYCLED, DISQUALIFIED]"));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body(Map.of("reasonCode", "later")).post(base + "/reject")
                .then().statusCode(422).body("errors[0].field", equalTo("reasonCode"));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body(Map.of("reasonCode", "disqualify", "note", "competitor")).post(base + "/reject")
                .then().statusCode(200).body("to", equalTo("DISQUALIFIED")).body("reason", equalTo("rejected by sales (disqualify): competitor"));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body(Map.of("reasonCode", "recycle")).post("/api/scoring/leads/" + UUID.randomUUID() + "/reject")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void decaySweepRecyclesAnMqlGoneCold() throws Throwable {
        UUID leadId = mqlLead();
        Instant inAYear = Instant.now().plus(365, ChronoUnit.DAYS);
        int recycled = VertxContextSupport.subscribeAndAwait(() -> lifecycle.sweep(inAYear));
        assertTrue(recycled >= 1, "recycled " + recycled);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId + "/stages")
                .then().statusCode(200)
                .body("", hasSize(3))
                .body("[2].from", equalTo("MQL"))
                .body("[2].to", equalTo("RECYCLED"))
                .body("[2].actor", equalTo("system"))
                .body("[2].reason", startsWith("engagement decayed below 40.00"));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId)
                .then().statusCode(200).body("stage", equalTo("RECYCLED")).body("mql.qualifies", equalTo(true));
    }

    @Test
    void backtestReplaysACandidateOverStoredActivity() {
        mqlLead();
        Map<String, Object> candidate = ScoringModelApiTest.defaultDefinition();
        Instant from = Instant.now().minus(30, ChronoUnit.DAYS);
        Instant to = Instant.now().plus(1, ChronoUnit.MINUTES);
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("model", candidate, "from", from.toString(), "to", to.toString()))
                .post("/api/scoring/models/backtest")
                .then().statusCode(200)
                .body("leads", greaterThanOrEqualTo(1))
                .body("wouldBeMql", greaterThanOrEqualTo(1))
                .body("grades.A", greaterThanOrEqualTo(1))
                .body("mqlConversion.leads", greaterThanOrEqualTo(1));
        Map<String, Object> strict = new java.util.HashMap<>(candidate);
        strict.put("mql", Map.of("minGrade", "A", "minEngagement", 10_000));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("model", strict, "from", from.toString(), "to", to.toString()))
                .post("/api/scoring/models/backtest")
                .then().statusCode(200).body("wouldBeMql", equalTo(0)).body("mqlConversion.leads", equalTo(0));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("model", candidate, "from", to.toString(), "to", from.toString()))
                .post("/api/scoring/models/backtest")
                .then().statusCode(422).body("errors[0].field", equalTo("to"));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body(Map.of("model", candidate, "from", from.toString(), "to", to.toString()))
                .post("/api/scoring/models/backtest").then().statusCode(403);
    }
}
