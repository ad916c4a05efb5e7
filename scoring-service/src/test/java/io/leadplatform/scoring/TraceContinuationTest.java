package io.leadplatform.scoring;

import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumed event with a {@code traceparent} header (as the outbox relays of capture and nurturing send them):
 * scoring's batch consumption still scores it and publishes valid events with at most one trace header. (A batch
 * is one transaction for many records, so no record's span is current while it is scored: its events carry no
 * trace context today.)
 */
@QuarkusTest
class TraceContinuationTest {

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;

    @ConfigProperty(name = "platform.outbox.topic")
    String scoringTopic;

    @Test
    void aTracedCapturedEventIsScoredAndPublishedWithAtMostOneTraceparent() {
        UUID leadId = UUID.randomUUID();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        KafkaEvents.send(captureTopic, leadId.toString(),
                TestEvents.leadCaptured(UUID.randomUUID(), leadId, "tracy@acme-" + leadId + ".com", "website"),
                Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            ConsumerRecord<String, String> scored = events.await(
                    r -> r.key().equals(leadId.toString()) && r.value().contains("\"lead.scored\""), Duration.ofSeconds(30));
            EventSchemas.assertValid(scored.value());
            List<String> traceparents = new ArrayList<>();
            for (Header h : scored.headers().headers("traceparent")) {
                traceparents.add(new String(h.value(), StandardCharsets.UTF_8));
            }
            assertTrue(traceparents.size() <= 1, "at most one traceparent: " + traceparents);
        }
    }
}
