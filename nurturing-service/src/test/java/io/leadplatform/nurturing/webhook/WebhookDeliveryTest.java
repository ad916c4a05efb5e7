package io.leadplatform.nurturing.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.leadplatform.nurturing.webhook.WebhookReceiver.Answer;
import io.leadplatform.nurturing.webhook.WebhookReceiver.Received;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leadplatform.nurturing.webhook.WebhookApi.BASE;
import static io.leadplatform.nurturing.webhook.WebhookApi.admin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deliveries end to end: an event on Kafka, a delivery row, a signed POST to a real HTTP receiver (JDK
 * HttpServer on a free port) that verifies the signature with the Standard Webhooks library. The test
 * profile shrinks the backoff to milliseconds (5 attempts, 50 ms x 2^(n-1), at most 400 ms).
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "mp.messaging.incoming.webhook-events.topics")
    List<String> topics;

    @BeforeEach
    @AfterEach
    void clean() {
        WebhookApi.deleteAll();
    }

    private String captureTopic() {
        return topics.get(0);
    }

    private String scoringTopic() {
        return topics.get(1);
    }

    private static void verifySignature(Received r, String secret) {
        try {
            new Webhook(secret).verify(r.body(), r.headers());
        } catch (Exception e) {
            throw new AssertionError("the receiver could not verify the signature: " + e, e);
        }
    }

    @Test
    void anMqlIsDeliveredOnceSignedAndVerifiedByTheReceiver() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> Answer.ok())) {
            var mql = WebhookApi.subscribe(receiver.url(), "lead.mql");
            var other = WebhookApi.subscribe(receiver.url(), "deal.closed");
            UUID leadId = UUID.randomUUID();
            UUID eventId = UUID.randomUUID();
            KafkaEvents.send(scoringTopic(), leadId.toString(), WebhookTestEvents.stageChanged(UUID.randomUUID(), leadId, "VISITOR", "LEAD"));
            String mqlEvent = WebhookTestEvents.stageChanged(eventId, leadId, "LEAD", "MQL");
            KafkaEvents.send(scoringTopic(), leadId.toString(), mqlEvent);
            KafkaEvents.send(scoringTopic(), leadId.toString(), mqlEvent); // redelivered: no second delivery

            JsonPath delivery = WebhookApi.awaitDelivery(mql.id(), d -> "succeeded".equals(d.get("status")), WAIT);
            assertEquals("lead.mql", delivery.getString("delivery.eventType"));
            assertEquals(eventId.toString(), delivery.getString("delivery.eventId"));
            assertEquals(leadId.toString(), delivery.getString("delivery.leadId"));
            assertEquals(1, delivery.getInt("delivery.attempts"));
            assertEquals(200, delivery.getInt("attemptLog[0].statusCode"));
            assertEquals("{\"ok\":true}", delivery.getString("attemptLog[0].responseExcerpt"));
            assertTrue(delivery.getInt("attemptLog[0].latencyMs") >= 0);

            KafkaEvents.send(scoringTopic(), leadId.toString(), WebhookTestEvents.dealClosed(UUID.randomUUID(), leadId));
            WebhookApi.awaitDelivery(other.id(), d -> "succeeded".equals(d.get("status")), WAIT);
            Thread.sleep(500); // room for a wrong second delivery of the MQL
            List<Received> got = receiver.receivedWith(leadId.toString());
            assertEquals(2, got.size(), "one MQL and one deal, nothing for the LEAD stage, no duplicate");
            Received first = got.stream().filter(r -> r.body().contains("\"lead.mql\"")).findFirst().orElseThrow();
            verifySignature(first, mql.secret());
            assertEquals(delivery.getString("delivery.id"), first.header("webhook-id"));
            assertTrue(first.header("webhook-signature").startsWith("v1,"));
            assertTrue(Math.abs(Long.parseLong(first.header("webhook-timestamp")) - Instant.now().getEpochSecond()) < 60);
            assertEquals("application/json", first.header("content-type"));
            JsonNode body = MAPPER.readTree(first.body());
            assertEquals("lead.mql", body.path("type").asText());
            assertEquals("MQL", body.path("data").path("to").asText());
            assertEquals(leadId.toString(), body.path("data").path("leadId").asText());
            assertEquals(eventId.toString(), body.path("source").path("eventId").asText());
            assertEquals("lead.stage-changed", body.path("source").path("eventType").asText());
            assertEquals(1, WebhookApi.deliveries(mql.id()).size());

            Received wrongSecret = first;
            try {
                new Webhook(other.secret()).verify(wrongSecret.body(), wrongSecret.headers());
                throw new AssertionError("another subscription's secret must not verify");
            } catch (com.standardwebhooks.exceptions.WebhookVerificationException expected) {
                // signed per subscription
            }
        }
    }

    @Test
    void aReceiverThatFailsFourTimesThenAcceptsLosesNothing() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> n <= 4 ? Answer.status(503) : Answer.ok())) {
            var s = WebhookApi.subscribe(receiver.url(), "lead.captured");
            UUID leadId = UUID.randomUUID();
            KafkaEvents.send(captureTopic(), leadId.toString(),
                    TestEvents.leadCaptured(UUID.randomUUID(), leadId, "w@" + leadId + ".com", "website"));
            JsonPath d = WebhookApi.awaitDelivery(s.id(), x -> "succeeded".equals(x.get("status")), WAIT);
            assertEquals(5, d.getInt("delivery.attempts"));
            assertEquals(List.of(503, 503, 503, 503, 200), d.getList("attemptLog.statusCode", Integer.class));
            assertEquals("HTTP 503", d.getString("attemptLog[0].error"));
            assertTrue(d.getString("attemptLog[0].responseExcerpt").contains("receiver says 503"));
            List<Received> got = receiver.receivedWith(leadId.toString());
            assertEquals(5, got.size());
            assertEquals(1, got.stream().map(r -> r.header("webhook-id")).distinct().count(), "every retry has the same webhook-id");
            got.forEach(r -> verifySignature(r, s.secret()));
            // the retries waited longer each time (backoff), never less than the jittered minimum
            List<Instant> at = d.getList("attemptLog.attemptedAt", String.class).stream().map(Instant::parse).toList();
            for (int i = 1; i < at.size(); i++) {
                long gap = Duration.between(at.get(i - 1), at.get(i)).toMillis();
                long nominal = Math.min(400, 50L << (i - 1));
                assertTrue(gap >= nominal * 0.8 - 5, "attempt " + (i + 1) + " came " + gap + " ms after the previous one");
            }
        }
    }

    @Test
    void aReceiverThatIsDownRefusingConnectionsGetsTheDeliveryWhenItIsBack() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> Answer.ok())) {
            var s = WebhookApi.subscribe(receiver.url(), "deal.closed");
            receiver.stop();
            UUID leadId = UUID.randomUUID();
            KafkaEvents.send(scoringTopic(), leadId.toString(), WebhookTestEvents.dealClosed(UUID.randomUUID(), leadId));
            WebhookApi.awaitDelivery(s.id(), x -> ((Integer) x.get("attempts")) >= 1, WAIT);
            receiver.restart();
            JsonPath d = WebhookApi.awaitDelivery(s.id(), x -> "succeeded".equals(x.get("status")), WAIT);
            assertNull(d.get("attemptLog[0].statusCode"), "no answer while down");
            assertNotNull(d.getString("attemptLog[0].error"));
            assertEquals(1, receiver.receivedWith(leadId.toString()).size());
        }
    }

    @Test
    void afterTheLastAttemptADeliveryIsDeadUntilReplayed() throws Exception {
        String longAnswer = "x".repeat(5000);
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> new Answer(500, longAnswer, 0))) {
            var s = WebhookApi.subscribe(receiver.url(), "lead.sql");
            UUID leadId = UUID.randomUUID();
            KafkaEvents.send(scoringTopic(), leadId.toString(), WebhookTestEvents.stageChanged(UUID.randomUUID(), leadId, "MQL", "SQL"));
            JsonPath dead = WebhookApi.awaitDelivery(s.id(), x -> "dead".equals(x.get("status")), WAIT);
            String id = dead.getString("delivery.id");
            assertEquals(5, dead.getInt("delivery.attempts"));
            assertEquals(5, dead.getList("attemptLog").size());
            assertEquals(1024, dead.getString("attemptLog[4].responseExcerpt").length(), "answer excerpt capped at 1 KB");
            assertNotNull(dead.getString("delivery.deadAt"));
            assertNull(dead.get("delivery.nextAttemptAt"));
            admin().get(BASE + "/subscriptions/" + s.id() + "/deliveries?status=dead").then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].id", equalTo(id));
            Thread.sleep(800);
            assertEquals(5, receiver.receivedWith(leadId.toString()).size(), "no attempt after the dead letter");

            receiver.behave(n -> Answer.ok());
            admin().post(BASE + "/subscriptions/" + s.id() + "/deliveries/" + id + "/replay").then().statusCode(202)
                    .body("delivery.status", equalTo("pending")).body("delivery.replays", equalTo(1));
            JsonPath done = WebhookApi.awaitDelivery(s.id(), x -> "succeeded".equals(x.get("status")), WAIT);
            assertEquals(6, done.getInt("delivery.totalAttempts"));
            assertEquals(1, done.getInt("delivery.attempts"));
            List<Received> got = receiver.receivedWith(leadId.toString());
            assertEquals(6, got.size());
            assertEquals(id, got.get(5).header("webhook-id"), "a replay keeps the webhook-id");
            verifySignature(got.get(5), s.secret());
            admin().post(BASE + "/subscriptions/" + UUID.randomUUID() + "/deliveries/" + id + "/replay").then().statusCode(404);
        }
    }

    @Test
    void aPeriodIsReplayed() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> Answer.status(410))) {
            var s = WebhookApi.subscribe(receiver.url(), "deal.closed");
            Instant from = Instant.now().minusSeconds(1);
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            KafkaEvents.send(scoringTopic(), a.toString(), WebhookTestEvents.dealClosed(UUID.randomUUID(), a));
            KafkaEvents.send(scoringTopic(), b.toString(), WebhookTestEvents.dealClosed(UUID.randomUUID(), b));
            await().atMost(WAIT).until(() -> WebhookApi.deliveries(s.id()).stream().filter(d -> "dead".equals(d.get("status"))).count() == 2);
            receiver.behave(n -> Answer.ok());
            Instant to = Instant.now().plusSeconds(1);
            admin().contentType(ContentType.JSON).body(Map.of("from", from.toString(), "to", to.toString()))
                    .post(BASE + "/subscriptions/" + s.id() + "/replay").then().statusCode(202).body("replayed", equalTo(2));
            await().atMost(WAIT).until(() -> WebhookApi.deliveries(s.id()).stream().allMatch(d -> "succeeded".equals(d.get("status"))));
            // succeeded ones are only sent again on request
            admin().contentType(ContentType.JSON).body(Map.of("from", from.toString(), "to", to.toString()))
                    .post(BASE + "/subscriptions/" + s.id() + "/replay").then().statusCode(202).body("replayed", equalTo(0));
            admin().contentType(ContentType.JSON).body(Map.of("from", from.toString(), "to", to.toString(), "includeSucceeded", true))
                    .post(BASE + "/subscriptions/" + s.id() + "/replay").then().statusCode(202).body("replayed", equalTo(2));
            await().atMost(WAIT).until(() -> receiver.received().stream().filter(r -> r.status() == 200).count() == 4);
        }
    }

    @Test
    void theTestEndpointSendsASignedTestEventAndAnswersTheOutcome() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> n == 1 ? Answer.ok() : new Answer(200, "late", 3000))) {
            var s = WebhookApi.subscribe(receiver.url(), "lead.mql");
            JsonPath ok = admin().post(BASE + "/subscriptions/" + s.id() + "/test").then().statusCode(200).extract().jsonPath();
            assertEquals("succeeded", ok.getString("delivery.status"));
            assertEquals("webhook.test", ok.getString("delivery.eventType"));
            assertEquals(200, ok.getInt("attemptLog[0].statusCode"));
            assertEquals("webhook.test", ok.getString("payload.type"));
            Received r = receiver.received().get(0);
            verifySignature(r, s.secret());
            assertEquals(ok.getString("delivery.id"), r.header("webhook-id"));

            // a receiver slower than the timeout (1.5 s in tests): the attempt fails, the test is not retried
            JsonPath slow = admin().post(BASE + "/subscriptions/" + s.id() + "/test").then().statusCode(200).extract().jsonPath();
            assertEquals("dead", slow.getString("delivery.status"));
            assertNull(slow.get("attemptLog[0].statusCode"));
            assertTrue(slow.getString("attemptLog[0].error").startsWith("timeout"), slow.getString("attemptLog[0].error"));
            assertTrue(slow.getInt("attemptLog[0].latencyMs") >= 1400 && slow.getInt("attemptLog[0].latencyMs") < 2900,
                    "latency " + slow.getInt("attemptLog[0].latencyMs"));
            assertEquals(2, WebhookApi.deliveries(s.id()).size());
        }
    }
}
