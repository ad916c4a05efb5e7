package io.leadplatform.nurturing;

import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ContactSyncTest {

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;

    @Test
    void capturedLeadBecomesAContactWithItsConsent() {
        UUID leadId = UUID.randomUUID();
        KafkaEvents.send(captureTopic, leadId.toString(),
                TestEvents.leadCaptured(UUID.randomUUID(), leadId, "n@" + leadId + ".com", "website"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + leadId)
                        .then().statusCode(200)
                        .body("marketingConsent", equalTo(true))
                        .body("channel", equalTo("website")));
    }

    @Test
    void contactsAreForMarketingOnly() {
        given().get("/api/nurturing/contacts/" + UUID.randomUUID()).then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/nurturing/contacts/" + UUID.randomUUID()).then().statusCode(403);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }
}
