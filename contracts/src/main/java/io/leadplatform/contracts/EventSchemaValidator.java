package io.leadplatform.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a CloudEvent (structured JSON) against the committed schema of its {@code type}:
 * {@code contracts/events/<type>.schema.json}. Used by producers before an event enters the
 * outbox and by tests on what actually arrives on Kafka.
 */
public final class EventSchemaValidator {

    private static final String BASE = "https://leadplatform.io/contracts/events/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE, "classpath:contracts/events/")));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventSchemaValidator() {
    }

    /** The violations of the event against the schema of its type; empty when it is valid. */
    public static List<String> violations(JsonNode event) {
        String type = event.path("type").asText("");
        if (!EventTypes.ALL.contains(type)) {
            return List.of("unknown event type '" + type + "'");
        }
        JsonSchema schema = SCHEMAS.computeIfAbsent(type,
                t -> FACTORY.getSchema(com.networknt.schema.SchemaLocation.of(BASE + t + ".schema.json"), CONFIG));
        Set<ValidationMessage> messages = schema.validate(event);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Throws {@link IllegalArgumentException} naming every violation when the event is invalid. */
    public static void requireValid(JsonNode event) {
        List<String> errors = violations(event);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("event " + event.path("type").asText() + " violates its schema: " + errors);
        }
    }
}
