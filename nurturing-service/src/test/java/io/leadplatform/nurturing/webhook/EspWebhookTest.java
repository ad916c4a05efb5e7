package io.leadplatform.nurturing.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.leadplatform.nurturing.webhook.WebhookReceiver.Answer;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The signed inbound endpoint for bounce and complaint notifications of an e-mail provider. */
@QuarkusTest
public class EspWebhookTest {

    static final String ESP = "/api/nurturing/webhooks/esp";

    @ConfigProperty(name = "nurturing.webhooks.esp.secret")
    String secret;

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;

    @ConfigProperty(name = "platform.outbox.topic")
    String outboxTopic;

    @Inject
    Pool pool;

    @BeforeEach
    @AfterEach
    void clean() {
        WebhookApi.deleteAll();
    }

    public static Response post(String secret, String webhookId, long timestamp, String payload) {
        try {
            return given().contentType(ContentType.JSON)
                    .header("webhook-id", webhookId)
                    .header("webhook-timestamp", String.valueOf(timestamp))
                    .header("webhook-signature", new Webhook(secret).sign(webhookId, timestamp, payload))
                    .body(payload)
                    .post(ESP);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response post(String webhookId, String payload) {
        return post(secret, webhookId, Instant.now().getEpochSecond(), payload);
    }

    public static String bounce(String email, String bounceType) {
        return """
                {"type":"email.bounced","timestamp":"%s","data":{"email":"%s","bounceType":"%s",
                 "reason":"550 5.1.1 mailbox unknown","messageId":"<m-1@leads.local>","occurredAt":"2026-12-03T08:00:00Z"}}"""
                .formatted(Instant.now(), email, bounceType);
    }

    private String suppression(String email) {
        var rows = pool.preparedQuery("select reason from esp_suppression where email = lower($1)").execute(Tuple.of(email))
                .await().atMost(Duration.ofSeconds(5));
        return rows.size() == 0 ? null : rows.iterator().next().getString("reason");
    }

    private UUID knownLead() {
        UUID leadId = UUID.randomUUID();
        KafkaEvents.send(captureTopic, leadId.toString(),
                TestEvents.leadCaptured(UUID.randomUUID(), leadId, "Bounce." + leadId + "@example.com", "website"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + leadId)
                        .then().statusCode(200));
        return leadId;
    }

    @Test
    void aHardBounceSuppressesEmitsOnceAndReachesSubscribers() throws Exception {
        UUID leadId = knownLead();
        String email = "bounce." + leadId + "@example.com";
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> Answer.ok());
             KafkaEvents events = KafkaEvents.read(outboxTopic)) {
            var s = WebhookApi.subscribe(receiver.url(), "email.bounced");
            String webhookId = "msg_" + UUID.randomUUID();
            String payload = bounce(email.toUpperCase(), "hard");
            String first = post(webhookId, payload).then().statusCode(200)
                    .body("suppressed", equalTo(true)).body("kind", equalTo("bounced")).body("bounceType", equalTo("hard"))
                    .body("leadId", equalTo(leadId.toString()))
                    .extract().asString();
            assertEquals("hard-bounce", suppression(email));
            // the lead's contact is suppressed too: the send-time check never mails it again
            given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + leadId)
                    .then().statusCode(200).body("suppressed", equalTo("hard_bounce"));

            // the provider retries the same notification: the same answer, nothing new
            String again = post(webhookId, payload).then().statusCode(200).extract().asString();
            assertEquals(first, again);

            ConsumerRecord<String, String> record = events.await(r -> r.value().contains(leadId.toString())
                    && r.value().contains("\"email.event\""), Duration.ofSeconds(20));
            assertEquals(leadId.toString(), record.key());
            JsonNode event = EventSchemas.assertValid(record.value());
            assertEquals("bounced", event.at("/data/kind").asText());
            assertEquals("hard", event.at("/data/bounceType").asText());
            assertEquals("<m-1@leads.local>", event.at("/data/emailId").asText());
            assertEquals("550 5.1.1 mailbox unknown", event.at("/data/reason").asText());
            assertEquals(false, event.at("/data/bot").asBoolean());
            List<ConsumerRecord<String, String>> all = events.collect(r -> r.value().contains(leadId.toString())
                    && r.value().contains("\"email.event\""), Duration.ofSeconds(2));
            assertEquals(1, all.size(), "one email.event for one notification, however often it is posted");

            // the email.event became an email.bounced webhook
            var delivered = WebhookApi.awaitDelivery(s.id(), d -> "succeeded".equals(d.get("status")), Duration.ofSeconds(30));
            assertEquals("email.bounced", delivered.getString("payload.type"));
            assertEquals(leadId.toString(), delivered.getString("payload.data.leadId"));
        }
    }

    @Test
    void complaintsSuppressSoftBouncesDoNot() {
        String unknown = "nobody." + UUID.randomUUID() + "@example.com";
        post("msg_" + UUID.randomUUID(), """
                {"type":"email.complained","data":{"email":"%s","reason":"abuse report"}}""".formatted(unknown))
                .then().statusCode(200).body("suppressed", equalTo(true)).body("leadId", nullValue());
        assertEquals("complaint", suppression(unknown));

        String soft = "soft." + UUID.randomUUID() + "@example.com";
        post("msg_" + UUID.randomUUID(), bounce(soft, "soft")).then().statusCode(200).body("suppressed", equalTo(false));
        assertEquals(null, suppression(soft));
    }

    @Test
    void unsignedOrWronglySignedNotificationsAre401AndChangeNothing() {
        String email = "forged." + UUID.randomUUID() + "@example.com";
        String payload = bounce(email, "hard");
        given().contentType(ContentType.JSON).body(payload).post(ESP)
                .then().statusCode(401).contentType("application/problem+json").body("detail", containsString("webhook-signature"));
        String otherSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString("another-secret-of-32-bytes-long!".getBytes());
        post(otherSecret, "msg_" + UUID.randomUUID(), Instant.now().getEpochSecond(), payload)
                .then().statusCode(401).contentType("application/problem+json").body("detail", equalTo("the signature is not valid"));
        post(secret, "msg_" + UUID.randomUUID(), Instant.now().minusSeconds(3600).getEpochSecond(), payload)
                .then().statusCode(401).body("detail", containsString("5 minutes old"));
        // signed for another body
        String webhookId = "msg_" + UUID.randomUUID();
        long ts = Instant.now().getEpochSecond();
        try {
            given().contentType(ContentType.JSON).header("webhook-id", webhookId).header("webhook-timestamp", String.valueOf(ts))
                    .header("webhook-signature", new Webhook(secret).sign(webhookId, ts, bounce(email, "soft")))
                    .body(payload).post(ESP).then().statusCode(401);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertEquals(null, suppression(email));
    }

    @Test
    void badNotificationsAre400Or422NamingTheField() {
        post("msg_" + UUID.randomUUID(), "[1,2").then().statusCode(400).contentType("application/problem+json");
        post("msg_" + UUID.randomUUID(), "{\"type\":\"email.opened\",\"data\":{\"email\":\"a@b.io\"}}")
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", contains("type"));
        post("msg_" + UUID.randomUUID(), "{\"type\":\"email.bounced\",\"data\":{\"bounceType\":\"hard\"}}")
                .then().statusCode(422).body("errors.field", contains("data.email"));
        post("msg_" + UUID.randomUUID(), "{\"type\":\"email.bounced\",\"data\":{\"email\":\"a@b.io\",\"bounceType\":\"bad\"}}")
                .then().statusCode(422).body("errors.field", contains("data.bounceType"));
        post("msg_" + UUID.randomUUID(), "{\"type\":\"email.bounced\",\"data\":{\"email\":\"a@b.io\",\"bounceType\":\"hard\",\"occurredAt\":\"yesterday\"}}")
                .then().statusCode(422).body("errors.field", contains("data.occurredAt"));
        post("msg_" + UUID.randomUUID(), "{\"type\":\"email.complained\"}")
                .then().statusCode(422).body("errors.field", contains("data"));
        assertEquals(null, suppression("a@b.io"));
    }
}
