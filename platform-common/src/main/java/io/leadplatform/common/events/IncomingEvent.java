package io.leadplatform.common.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/** A CloudEvent as a consumer reads it from Kafka. */
public record IncomingEvent(UUID id, String type, String source, UUID subject, Instant time, JsonNode data) {

    /** Parses a structured-mode CloudEvent; throws {@link IllegalArgumentException} when it is not one. */
    public static IncomingEvent parse(ObjectMapper mapper, String json) {
        try {
            JsonNode node = mapper.readTree(json);
            return new IncomingEvent(
                    UUID.fromString(node.path("id").asText()),
                    node.path("type").asText(),
                    node.path("source").asText(),
                    UUID.fromString(node.path("subject").asText()),
                    Instant.parse(node.path("time").asText()),
                    node.path("data"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid CloudEvent: " + e.getMessage(), e);
        }
    }
}
