package io.leadplatform.kpi;

import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class LeadCountTest {

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;

    @Test
    void countsLeadsPerChannelPerDayAndIgnoresRedelivery() {
        String channel = "test-channel-" + UUID.randomUUID();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        UUID first = UUID.randomUUID();
        String firstEvent = TestEvents.leadCaptured(UUID.randomUUID(), first, "a@" + first + ".com", channel);
        KafkaEvents.send(captureTopic, first.toString(), firstEvent);
        UUID second = UUID.randomUUID();
        KafkaEvents.send(captureTopic, second.toString(), TestEvents.leadCaptured(UUID.randomUUID(), second, "b@" + second + ".com", channel));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).queryParam("channel", channel)
                        .get("/api/kpi/leads").then().statusCode(200).body("total", equalTo(2)));

        // the same event again (same id) is not counted twice; a new lead on the same key proves it was consumed
        KafkaEvents.send(captureTopic, first.toString(), firstEvent);
        KafkaEvents.send(captureTopic, first.toString(), TestEvents.leadCaptured(UUID.randomUUID(), UUID.randomUUID(), "c@x.com", channel));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).queryParam("channel", channel)
                        .get("/api/kpi/leads").then().statusCode(200).body("total", equalTo(3)));

        given().header("Authorization", Tokens.bearer("admin")).queryParam("channel", channel).queryParam("from", today).queryParam("to", today)
                .get("/api/kpi/leads").then().statusCode(200)
                .body("items.day", hasItem(today))
                .body("items[0].leads", equalTo(3));
    }

    @Test
    void badPeriodIs422() {
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("from", "yesterday")
                .get("/api/kpi/leads").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("from"));
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("from", "2026-02-01").queryParam("to", "2026-01-01")
                .get("/api/kpi/leads").then().statusCode(422).body("errors[0].field", equalTo("to"));
    }

    @Test
    void onlyMarketingAndAdminReadKpis() {
        given().get("/api/kpi/leads").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/kpi/leads").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/kpi/leads").then().statusCode(403);
    }
}
