package io.leadplatform.nurturing.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.testsupport.EventSchemas;

import java.time.Instant;
import java.util.UUID;

/** Schema-valid scoring events for the webhook tests. */
final class WebhookTestEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WebhookTestEvents() {
    }

    static String stageChanged(UUID eventId, UUID leadId, String from, String to) {
        ObjectNode event = envelope(eventId, "lead.stage-changed", leadId);
        ObjectNode data = event.putObject("data");
        data.put("leadId", leadId.toString());
        data.put("from", from);
        data.put("to", to);
        data.put("reason", "fit A and engagement 60 reached the MQL thresholds");
        data.put("actor", "system");
        data.put("channel", "website");
        data.put("changedAt", Instant.now().toString());
        return valid(event);
    }

    static String dealClosed(UUID eventId, UUID leadId) {
        ObjectNode event = envelope(eventId, "deal.closed", leadId);
        ObjectNode data = event.putObject("data");
        data.put("leadId", leadId.toString());
        data.put("dealId", UUID.randomUUID().toString());
        data.put("outcome", "won");
        data.put("revenue", 12000);
        data.put("grossMargin", 4000);
        data.put("currency", "EUR");
        data.put("closedAt", Instant.now().toString());
        return valid(event);
    }

    private static String valid(ObjectNode event) {
        String json = event.toString();
        EventSchemas.assertValid(json);
        return json;
    }

    private static ObjectNode envelope(UUID eventId, String type, UUID leadId) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", eventId.toString());
        event.put("source", "/scoring-service");
        event.put("type", type);
        event.put("time", Instant.now().toString());
        event.put("subject", leadId.toString());
        event.put("datacontenttype", "application/json");
        return event;
    }
}
