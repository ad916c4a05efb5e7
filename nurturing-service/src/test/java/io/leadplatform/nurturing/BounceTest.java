package io.leadplatform.nurturing;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.nurturing.service.MailDispatcher;
import io.leadplatform.nurturing.smtp.RefusingSmtpServer;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMTP answers: a 5xx at RCPT is a hard bounce (suppressed, exits, event); a 4xx is retried, then a soft bounce. */
@QuarkusTest
@TestProfile(BounceTest.RefusingServer.class)
class BounceTest {

    /** The mailer talks to the refusing server; two attempts before a 4xx becomes a soft bounce. */
    public static class RefusingServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.port", String.valueOf(RefusingSmtpServer.port()),
                    "nurturing.dispatch.max-attempts", "2",
                    "nurturing.dispatch.retry-backoff", "1s");
        }
    }

    static final String ONE_STEP = """
            {"name":"Bounce %s","steps":[{"id":"hello","type":"send","template":"bounce-hello"}]}""";

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;
    @ConfigProperty(name = "platform.outbox.topic")
    String outboxTopic;
    @Inject
    MailDispatcher dispatcher;

    private UUID enrolledLead(String email) {
        Fixtures.template("bounce-hello", "Hello {lead.firstName}", "<p>Hi {lead.firstName}</p>");
        UUID lead = UUID.randomUUID();
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, email, "Bo", true, "active", null, "contact"));
        Fixtures.enroll(Fixtures.sequence(ONE_STEP.formatted(UUID.randomUUID())), lead);
        return lead;
    }

    @Test
    void aPermanentRefusalIsAHardBounceThatSuppressesTheLead() {
        String email = "hard-" + UUID.randomUUID() + "@bounce.test";
        UUID lead = enrolledLead(email);
        try (KafkaEvents events = KafkaEvents.read(outboxTopic)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                dispatcher.wakeUp();
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead + "/emails")
                        .then().statusCode(200).body("[0].state", equalTo("bounced")).body("[0].attempts", equalTo(1));
            });
            ConsumerRecord<String, String> bounced = events.await(r -> lead.toString().equals(r.key()) && r.value().contains("\"bounced\""),
                    Duration.ofSeconds(30));
            JsonNode event = EventSchemas.assertValid(bounced.value());
            assertEquals("hard", event.path("data").path("bounceType").asText(), bounced.value());
        }
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead)
                .then().statusCode(200).body("suppressed", equalTo("hard_bounce"));
        assertTrue(RefusingSmtpServer.refused().contains("550 " + email));
        assertTrue(RefusingSmtpServer.accepted().stream().noneMatch(email::equals));
    }

    @Test
    void aTransientRefusalIsRetriedThenCountsAsASoftBounceWithoutSuppression() {
        String email = "soft-" + UUID.randomUUID() + "@bounce.test";
        UUID lead = enrolledLead(email);
        try (KafkaEvents events = KafkaEvents.read(outboxTopic)) {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                dispatcher.wakeUp(); // the retry is due a backoff later; tests run without the background tick
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead + "/emails")
                        .then().statusCode(200).body("[0].state", equalTo("bounced")).body("[0].attempts", equalTo(2));
            });
            ConsumerRecord<String, String> bounced = events.await(r -> lead.toString().equals(r.key()) && r.value().contains("\"bounced\""),
                    Duration.ofSeconds(30));
            JsonNode event = EventSchemas.assertValid(bounced.value());
            assertEquals("soft", event.path("data").path("bounceType").asText(), bounced.value());
        }
        assertEquals(2, RefusingSmtpServer.refused().stream().filter(("451 " + email)::equals).count(), "one retry after the first 4xx");
        // a soft bounce does not suppress the lead
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead)
                .then().statusCode(200).body("suppressed", nullValue());
    }

    @Test
    void anAcceptedRecipientIsSentNormally() {
        String email = "ok-" + UUID.randomUUID() + "@bounce.test";
        UUID lead = enrolledLead(email);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            dispatcher.wakeUp();
            given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead + "/emails")
                    .then().statusCode(200).body("state", hasItem("sent"));
        });
        assertTrue(RefusingSmtpServer.accepted().contains(email));
    }
}
