package io.leadplatform.capture;

import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The W3C trace context of the request that wrote an event travels through the outbox: the Kafka record the
 * relay publishes later carries one {@code traceparent} header in the request's trace.
 */
@QuarkusTest
class TracePropagationTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @Inject
    Outbox outbox;

    @Inject
    Pool pool;

    @Test
    void theEventsOfASubmissionContinueTheTraceOfItsRequest() {
        String email = "traced-" + UUID.randomUUID() + "@example.com";
        String capturedTrace = hex(16);
        String requestSpan = hex(8);
        // a new lead: lead.captured is written by the group-commit writer (multi-row unnest insert)
        given().contentType(ContentType.JSON).header("traceparent", "00-" + capturedTrace + "-" + requestSpan + "-01")
                .body("{\"email\":\"%s\",\"firstName\":\"Tracy\"}".formatted(email))
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(202);
        // the same e-mail again: lead.updated is written through Hibernate (Outbox.add, persist)
        String updatedTrace = hex(16);
        given().contentType(ContentType.JSON).header("traceparent", "00-" + updatedTrace + "-" + hex(8) + "-01")
                .body("{\"email\":\"%s\",\"company\":\"Traced Inc\"}".formatted(email))
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(202);
        String leadId = given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                .get("/api/capture/leads").then().statusCode(200).extract().path("items[0].id");

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> captured = events.await(
                    r -> r.key().equals(leadId) && r.value().contains("\"lead.captured\""), Duration.ofSeconds(60));
            EventSchemas.assertValid(captured.value());
            String[] parent = onlyTraceparent(captured).split("-");
            assertEquals(4, parent.length);
            assertEquals("00", parent[0]);
            assertEquals(capturedTrace, parent[1], "lead.captured continues the trace of its submission");
            assertNotEquals(requestSpan, parent[2], "its parent is a span of this service, not the caller's");
            assertEquals("01", parent[3]);

            ConsumerRecord<String, String> updated = events.await(
                    r -> r.key().equals(leadId) && r.value().contains("\"lead.updated\""), Duration.ofSeconds(60));
            EventSchemas.assertValid(updated.value());
            assertEquals(updatedTrace, onlyTraceparent(updated).split("-")[1],
                    "lead.updated continues the trace of the second submission");
        }
    }

    @Test
    void anEventWrittenWithoutASpanIsPublishedWithoutTraceHeaders() {
        UUID leadId = UUID.randomUUID();
        // the test thread has no current span
        OutboxEvent row = outbox.prepare("lead.erased", leadId,
                Map.of("leadId", leadId.toString(), "erasedAt", Instant.now().toString()));
        assertNull(row.traceparent);
        assertNull(row.tracestate);
        pool.withTransaction(conn -> outbox.insertAll(conn, List.of(row))).await().atMost(Duration.ofSeconds(10));
        outbox.committed();

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> erased = events.await(r -> r.key().equals(leadId.toString()), Duration.ofSeconds(60));
            EventSchemas.assertValid(erased.value());
            assertTrue(KafkaEvents.headerValues(erased, "traceparent").isEmpty(), "no traceparent header");
            assertTrue(KafkaEvents.headerValues(erased, "tracestate").isEmpty(), "no tracestate header");
            assertEquals(List.of("lead.erased"), KafkaEvents.headerValues(erased, "event_type"));
        }
    }

    private static String onlyTraceparent(ConsumerRecord<String, String> record) {
        List<String> traceparents = KafkaEvents.headerValues(record, "traceparent");
        assertEquals(1, traceparents.size(), "exactly one traceparent header: " + traceparents);
        return traceparents.get(0);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros (an invalid id)
        return HexFormat.of().formatHex(b);
    }
}
