package io.leadplatform.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.contracts.EventSchemaValidator;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** Test assertion: an event read from Kafka validates against its committed schema in contracts/events. */
public final class EventSchemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventSchemas() {
    }

    /** Parses the CloudEvent and fails the test on any schema violation; returns the parsed event. */
    public static JsonNode assertValid(String cloudEventJson) {
        JsonNode event;
        try {
            event = MAPPER.readTree(cloudEventJson);
        } catch (IOException e) {
            throw new AssertionError("event is not JSON: " + cloudEventJson, e);
        }
        List<String> errors = EventSchemaValidator.violations(event);
        if (!errors.isEmpty()) {
            fail("event violates contracts/events/" + event.path("type").asText() + ".schema.json: " + errors + "\n" + cloudEventJson);
        }
        return event;
    }
}
