package io.leadplatform.capture;

import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.KafkaOutage;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** With the Kafka broker stopped, submissions still succeed; every event arrives once it is back. */
@QuarkusTest
class KafkaOutageTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @Test
    void submissionsSucceedWhileKafkaIsDownAndTheirEventsArriveLater() throws Exception {
        List<String> emails = new ArrayList<>();
        KafkaOutage.stopBroker();
        try {
            assertFalse(KafkaOutage.portOpen(), "the broker should be down");
            for (int i = 0; i < 5; i++) {
                String email = "outage-" + i + "-" + UUID.randomUUID() + "@example.com";
                emails.add(email);
                given().contentType(ContentType.JSON).body("{\"email\":\"%s\",\"company\":\"Down Inc\"}".formatted(email))
                        .post("/api/capture/forms/contact/submissions")
                        .then().statusCode(202);
            }
        } finally {
            KafkaOutage.startBroker();
        }

        List<String> leadIds = new ArrayList<>();
        for (String email : emails) {
            leadIds.add(given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                    .get("/api/capture/leads").then().statusCode(200).body("items", hasSize(1))
                    .extract().path("items[0].id"));
        }
        try (KafkaEvents events = KafkaEvents.read(topic)) {
            for (String leadId : leadIds) {
                EventSchemas.assertValid(events.await(r -> r.key().equals(leadId) && r.value().contains("\"lead.captured\""),
                        Duration.ofSeconds(120)).value());
            }
        }
    }
}
