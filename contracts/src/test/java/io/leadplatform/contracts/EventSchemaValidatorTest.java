package io.leadplatform.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventSchemaValidatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode stageChanged() {
        ObjectNode e = MAPPER.createObjectNode();
        String lead = UUID.randomUUID().toString();
        e.put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", "/scoring-service")
                .put("type", "lead.stage-changed").put("time", "2026-11-22T10:00:00Z").put("subject", lead)
                .put("datacontenttype", "application/json");
        e.putObject("data").put("leadId", lead).putNull("from").put("to", "LEAD").put("reason", "captured")
                .put("actor", "system").put("changedAt", "2026-11-22T10:00:00Z");
        return e;
    }

    @Test
    void validEventHasNoViolations() {
        assertEquals(java.util.List.of(), EventSchemaValidator.violations(stageChanged()));
    }

    @Test
    void envelopeIsEnforcedThroughTheSharedSchema() {
        ObjectNode e = stageChanged();
        e.remove("subject");
        e.put("id", "not-a-uuid");
        var errors = EventSchemaValidator.violations(e);
        assertTrue(errors.stream().anyMatch(m -> m.contains("subject")), errors.toString());
        assertTrue(errors.stream().anyMatch(m -> m.contains("uuid")), errors.toString());
    }

    @Test
    void dataIsEnforced() {
        ObjectNode e = stageChanged();
        ((ObjectNode) e.get("data")).put("to", "PROMOTED");
        assertFalse(EventSchemaValidator.violations(e).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> EventSchemaValidator.requireValid(e));
    }

    @Test
    void leadEmailsOnReservedOrNewTopLevelDomainsAreValid() {
        // capture-service accepts them (Jakarta @Email); the event must not be stricter, or a valid submission fails
        ObjectNode e = stageChanged();
        String lead = e.get("subject").asText();
        e.put("type", "lead.captured");
        ObjectNode data = e.putObject("data");
        data.put("leadId", lead).put("email", "someone@bench.example").put("source", "form").put("channel", "website")
                .put("capturedAt", "2026-11-22T10:00:00Z");
        data.putObject("utm");
        data.putArray("consents");
        assertEquals(java.util.List.of(), EventSchemaValidator.violations(e));
        data.put("email", "no-at-sign");
        assertFalse(EventSchemaValidator.violations(e).isEmpty());
    }

    @Test
    void unknownTypeIsAViolation() {
        ObjectNode e = stageChanged();
        e.put("type", "lead.teleported");
        assertEquals(1, EventSchemaValidator.violations(e).size());
    }

    @Test
    void everyEventTypeHasASchema() {
        for (String type : EventTypes.ALL) {
            assertTrue(EventSchemaValidator.class.getResource("/contracts/events/" + type + ".schema.json") != null, type);
        }
    }
}
