package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.scoring.messaging.LeadEventReader;
import io.leadplatform.scoring.service.BatchScoringService;
import io.leadplatform.scoring.service.LeadEvent;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch consumption: many events of several leads in one transaction, redelivered batches, events before the profile. */
@QuarkusTest
class BatchScoringTest {

    private static final String CONSUMER = "scoring.lead-profile";

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;

    @ConfigProperty(name = "platform.outbox.topic")
    String scoringTopic;

    @Inject
    BatchScoringService scoring;

    @Inject
    LeadEventReader reader;

    @Inject
    ObjectMapper mapper;

    @BeforeAll
    static void doubles() {
        RestAssured.config = RestAssured.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private LeadEvent read(String json) {
        return reader.read(IncomingEvent.parse(mapper, json));
    }

    private int process(List<LeadEvent> batch) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> scoring.process(CONSUMER, batch));
    }

    private static String activity(UUID leadId, String type, Instant at, String url, Integer seconds, boolean bot) {
        return TestEvents.activity(UUID.randomUUID(), leadId, type, at, url, seconds, bot);
    }

    @Test
    void oneBatchScoresEachLeadOnceFromAllItsEventsAndARedeliveryChangesNothing() throws Throwable {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        Instant now = Instant.now();
        String downloadOfA = activity(a, "download", now.minus(2, ChronoUnit.DAYS), null, null, false);
        List<LeadEvent> batch = new ArrayList<>();
        batch.add(read(activity(c, "webinar", now.minus(1, ChronoUnit.DAYS), null, null, false)));
        batch.add(read(TestEvents.leadCaptured(UUID.randomUUID(), a, "ann@acme-" + a + ".com", "website")));
        batch.add(read(TestEvents.leadCaptured(UUID.randomUUID(), b, "bob@globex-" + b + ".com", "partner")));
        batch.add(read(activity(a, "webinar", now.minus(1, ChronoUnit.DAYS), null, null, false)));
        batch.add(read(activity(b, "download", now, null, null, false)));
        batch.add(read(activity(a, "webinar", now.minus(1, ChronoUnit.DAYS), null, null, false)));
        batch.add(read(downloadOfA));
        batch.add(read(downloadOfA)); // the same event twice in one poll counts once
        batch.add(read(activity(b, "download", now, null, null, false)));
        batch.add(read(activity(a, "page_view", now.minus(1, ChronoUnit.HOURS), "https://acme.io/pricing", 90, false)));
        batch.add(read(TestEvents.email(UUID.randomUUID(), a, "opened", true, now)));
        batch.add(read(activity(b, "download", now, null, null, false)));

        // lead.stage-changed LEAD for a and b, MQL for a, and one lead.scored each: c has no profile yet
        assertEquals(5, process(batch));

        // webinar 2 × 20 × 0.5^(1/90) + download 10 × 0.5^(2/60) + pricing page view (2 + 3) × 0.5^(1/720) + 10 × 0.5^(1/336)
        double engagementOfA = 39.694 + 9.772 + 4.995 + 9.979;
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + a)
                .then().statusCode(200)
                .body("stage", equalTo("MQL"))
                .body("fit", equalTo(35))
                .body("grade", equalTo("A"))
                .body("engagement", closeTo(engagementOfA, 0.02))
                .body("temperature", equalTo("hot"))
                .body("engagementRules.find { it.rule == 'webinar' }.events.size()", equalTo(2))
                .body("engagementRules.find { it.rule == 'download' }.events.size()", equalTo(1))
                .body("ignoredBotEvents.size()", equalTo(1));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + a + "/stages")
                .then().statusCode(200).body("to", equalTo(List.of("LEAD", "MQL")));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + b)
                .then().statusCode(200)
                .body("stage", equalTo("LEAD"))
                .body("engagement", closeTo(30.0, 0.01))
                .body("temperature", equalTo("warm"))
                .body("engagementRules.find { it.rule == 'download' }.events.size()", equalTo(3));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + c).then().statusCode(404);
        String updatedAt = given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + a)
                .then().extract().path("updatedAt");

        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            List<ConsumerRecord<String, String>> ofA = events.collect(r -> r.key().equals(a.toString()), Duration.ofSeconds(4));
            assertEquals(List.of("lead.stage-changed", "lead.stage-changed", "lead.scored"),
                    ofA.stream().map(r -> EventSchemas.assertValid(r.value()).path("type").asText()).toList(),
                    "in order: LEAD, MQL, then the score");
            JsonNode scored = EventSchemas.assertValid(ofA.get(2).value()).path("data");
            assertEquals(engagementOfA, scored.path("engagement").asDouble(), 0.02);
            assertEquals("A", scored.path("grade").asText());
            assertEquals("default@1", scored.path("modelVersion").asText());
            assertTrue(scored.path("contributions").toString().contains("webinar attended (2 events)"), scored.toString());
            assertEquals("MQL", EventSchemas.assertValid(ofA.get(1).value()).at("/data/to").asText());

            // the same batch again (a redelivery after a crash before the offsets were committed): nothing changes
            assertEquals(0, process(batch));
            given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + a)
                    .then().statusCode(200).body("updatedAt", equalTo(updatedAt)).body("engagement", closeTo(engagementOfA, 0.02));
            given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + a + "/stages")
                    .then().body("to", equalTo(List.of("LEAD", "MQL")));
            given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + b)
                    .then().body("engagementRules.find { it.rule == 'download' }.events.size()", equalTo(3));
            assertEquals(3, events.collect(r -> r.key().equals(a.toString()), Duration.ofSeconds(3)).size(),
                    "a redelivered batch emits nothing");
        }

        // c's profile arrives later: the webinar stored before it counts
        assertEquals(2, process(List.of(read(TestEvents.leadCaptured(UUID.randomUUID(), c, "cy@initech-" + c + ".com", "web")))));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + c)
                .then().statusCode(200)
                .body("stage", equalTo("LEAD"))
                .body("engagement", closeTo(19.85, 0.01))
                .body("engagementRules.find { it.rule == 'webinar' }.events.size()", equalTo(1));
    }

    @Test
    void manyEventsForManyLeadsThroughKafkaAreEachCountedOnce() {
        List<UUID> leads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            leads.add(UUID.randomUUID());
        }
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        leads.forEach(l -> records.add(new ProducerRecord<>(captureTopic, l.toString(),
                TestEvents.leadCaptured(UUID.randomUUID(), l, "x@acme-" + l + ".com", "website"))));
        Instant now = Instant.now();
        for (int i = 0; i < 20; i++) {
            for (UUID l : leads) {
                records.add(new ProducerRecord<>(captureTopic, l.toString(),
                        activity(l, "page_view", now.minusSeconds(i), "https://acme.io/blog/" + i, 10, false)));
            }
        }
        leads.forEach(l -> records.add(new ProducerRecord<>(captureTopic, l.toString(), activity(l, "download", now, null, null, false))));
        send(records);

        // per lead: 20 page views (2 points each, capped at 20) and a download (10): 30, warm, still a LEAD
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> leads.forEach(l ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + l)
                        .then().statusCode(200).body("engagement", closeTo(30.0, 0.01))));
        List<String> updated = new ArrayList<>();
        for (UUID l : leads) {
            updated.add(given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + l)
                    .then().statusCode(200)
                    .body("stage", equalTo("LEAD"))
                    .body("temperature", equalTo("warm"))
                    .body("engagementRules.find { it.rule == 'page-view' }.capped", equalTo(true))
                    .body("engagementRules.find { it.rule == 'page-view' }.events.size()", equalTo(20))
                    .extract().<String>path("updatedAt"));
        }
        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            for (UUID l : leads) {
                List<ConsumerRecord<String, String>> scored = events.collect(r -> r.key().equals(l.toString())
                        && r.value().contains("\"lead.scored\""), Duration.ofMillis(200));
                assertTrue(!scored.isEmpty() && scored.size() <= 22, "between 1 and 22 lead.scored for " + l + ": " + scored.size());
                JsonNode last = EventSchemas.assertValid(scored.get(scored.size() - 1).value()).path("data");
                assertEquals(30.0, last.path("engagement").asDouble(), 0.01);
                assertTrue(last.path("contributions").toString().contains("page viewed (20 events, capped)"), last.toString());
            }
        }

        // the same records again: every event id is known, nothing changes
        send(records);
        UUID marker = UUID.randomUUID();
        send(List.of(new ProducerRecord<>(captureTopic, leads.get(0).toString(),
                TestEvents.leadCaptured(UUID.randomUUID(), marker, "m@acme-" + marker + ".com", "web"))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + marker).then().statusCode(200));
        for (int i = 0; i < leads.size(); i++) {
            given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leads.get(i))
                    .then().body("updatedAt", equalTo(updated.get(i))).body("engagement", closeTo(30.0, 0.01));
        }
    }

    @Test
    void anUnreadableEventGoesToTheDeadLetterTopicAndTheRestOfItsBatchIsScored() {
        UUID lead = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        String unreadable = activity(lead, "download", Instant.now(), null, null, false)
                .replaceFirst("\"id\":\"[0-9a-f-]{36}\"", "\"id\":\"" + bad + "\"")
                .replaceFirst("\"occurredAt\":\"[^\"]+\"", "\"occurredAt\":\"yesterday\"");
        send(List.of(
                new ProducerRecord<>(captureTopic, lead.toString(), TestEvents.leadCaptured(UUID.randomUUID(), lead, "d@acme-" + lead + ".com", "web")),
                new ProducerRecord<>(captureTopic, lead.toString(), unreadable),
                new ProducerRecord<>(captureTopic, lead.toString(), activity(lead, "download", Instant.now(), null, null, false))));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + lead)
                        .then().statusCode(200).body("engagement", closeTo(10.0, 0.01))
                        .body("engagementRules.find { it.rule == 'download' }.events.size()", equalTo(1)));
        try (KafkaEvents dlq = KafkaEvents.read("dead-letter-topic-capture-events")) {
            ConsumerRecord<String, String> dead = dlq.await(r -> r.value().contains(bad.toString()), Duration.ofSeconds(20));
            assertTrue(dead.value().contains("\"occurredAt\":\"yesterday\""));
        }
    }

    private static void send(List<ProducerRecord<String, String>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEvents.BOOTSTRAP);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            records.forEach(producer::send);
            producer.flush();
        }
    }
}
