package io.leadplatform.common.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds CloudEvents 1.0 envelopes (structured JSON mode) around event data. */
public final class EventFactory {

    private EventFactory() {
    }

    public static ObjectNode envelope(ObjectMapper mapper, String source, String type, UUID leadId, Object data) {
        ObjectNode event = mapper.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", source);
        event.put("type", type);
        event.put("time", Instant.now().truncatedTo(ChronoUnit.MICROS).toString());
        event.put("subject", leadId.toString());
        event.put("datacontenttype", "application/json");
        JsonNode dataNode = data instanceof JsonNode node ? node : mapper.valueToTree(data);
        event.set("data", dataNode);
        return event;
    }
}
