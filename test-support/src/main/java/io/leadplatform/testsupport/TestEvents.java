package io.leadplatform.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/** Schema-valid CloudEvents to feed consumers in tests. */
public final class TestEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestEvents() {
    }

    /** A lead.captured event with a business profile; validated against its schema before it is returned. */
    public static String leadCaptured(UUID eventId, UUID leadId, String email, String channel) {
        ObjectNode event = envelope(eventId, "lead.captured", leadId, "/capture-service");
        ObjectNode data = event.putObject("data");
        data.put("leadId", leadId.toString());
        data.put("email", email);
        data.put("firstName", "Test");
        data.put("company", "Acme GmbH");
        data.put("jobTitle", "Head of Marketing");
        data.put("country", "DE");
        data.put("source", "form");
        data.put("sourceRef", "contact");
        data.put("channel", channel);
        data.put("capturedAt", Instant.now().toString());
        data.putObject("utm");
        data.putArray("consents").addObject().put("purpose", "newsletter").put("granted", true).put("textVersion", "v1");
        data.putObject("fields");
        String json = event.toString();
        EventSchemas.assertValid(json);
        return json;
    }

    /** A lead.activity event (as capture-service emits for tracked visitors); validated against its schema. */
    public static String activity(UUID eventId, UUID leadId, String type, Instant occurredAt, String url, Integer seconds, boolean bot) {
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

    /** A lead.merged event (as capture-service emits on a merge, or its undo); validated against its schema. */
    public static String leadMerged(UUID eventId, UUID leadId, UUID survivorId, UUID mergeId, Instant mergedAt, boolean undone) {
        ObjectNode event = envelope(eventId, "lead.merged", leadId, "/capture-service");
        ObjectNode data = event.putObject("data");
        data.put("leadId", leadId.toString());
        data.put("survivorId", survivorId.toString());
        data.put("mergeId", mergeId.toString());
        data.put("mergedAt", mergedAt.toString());
        data.put("undone", undone);
        String json = event.toString();
        EventSchemas.assertValid(json);
        return json;
    }

    /** An email.event (as nurturing-service emits); validated against its schema. */
    public static String email(UUID eventId, UUID leadId, String kind, boolean bot, Instant occurredAt) {
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
