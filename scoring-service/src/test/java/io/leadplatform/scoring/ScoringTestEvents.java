package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.testsupport.EventSchemas;

import java.time.Instant;
import java.util.UUID;

/** Schema-valid lead.activity and email.event CloudEvents for scoring's tests. */
final class ScoringTestEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScoringTestEvents() {
    }

    static String activity(UUID eventId, UUID leadId, String type, Instant occurredAt, String url, Integer seconds, boolean bot) {
        ObjectNode event = envelope(eventId, "lead.activity", leadId, "/capture-service");
        ObjectNode data = event.putObject("data");
        data.put("leadId", leadId.toString());
        data.put("activityType", type);
        data.put("occurredAt", occurredAt.toString());
        data.put("url", url);
        if (seconds != null) {
            data.put("durationSeconds", seconds);
        }
        data.put("bot", bot);
        String json = event.toString();
        EventSchemas.assertValid(json);
        return json;
    }

    static String email(UUID eventId, UUID leadId, String kind, boolean bot, Instant occurredAt) {
        ObjectNode event = envelope(eventId, "email.event", leadId, "/nurturing-service");
        ObjectNode data = event.putObject("data");
        data.put("leadId", leadId.toString());
        data.put("emailId", "welcome-1");
        data.put("kind", kind);
        data.put("bot", bot);
        data.put("url", "https://acme.io/offer");
        data.put("occurredAt", occurredAt.toString());
        String json = event.toString();
        EventSchemas.assertValid(json);
        return json;
    }

    private static ObjectNode envelope(UUID eventId, String type, UUID leadId, String source) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", eventId.toString());
        event.put("source", source);
        event.put("type", type);
        event.put("time", Instant.now().toString());
        event.put("subject", leadId.toString());
        event.put("datacontenttype", "application/json");
        return event;
    }
}
