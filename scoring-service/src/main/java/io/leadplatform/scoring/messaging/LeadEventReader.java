package io.leadplatform.scoring.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.scoring.service.LeadEvent;
import io.leadplatform.scoring.service.engine.Activity;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Reads what scoring needs from consumed events: lead.captured / lead.updated (profile), lead.activity, lead.merged, and
 * email.event (opened → email_open, clicked → email_click, bounced → email_bounce, unsubscribed →
 * email_unsubscribe; sent / delivered have no effect).
 */
@ApplicationScoped
public class LeadEventReader {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public LeadEventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Throws (IllegalArgumentException, DateTimeParseException …) when the event's data cannot be read. */
    public LeadEvent read(IncomingEvent event) {
        JsonNode d = event.data();
        return switch (event.type()) {
            case EventTypes.LEAD_CAPTURED, EventTypes.LEAD_UPDATED ->
                    new LeadEvent.ProfileChanged(event.id(), event.subject(), mapper.convertValue(d, MAP));
            case EventTypes.LEAD_ACTIVITY -> new LeadEvent.ActivityHappened(event.subject(), new Activity(event.id(),
                    d.path("activityType").asText(), occurredAt(d), text(d, "url"), text(d, "asset"),
                    d.hasNonNull("durationSeconds") ? d.get("durationSeconds").asInt() : null, d.path("bot").asBoolean(false)));
            case EventTypes.EMAIL_EVENT -> email(event, d);
            case EventTypes.LEAD_MERGED -> new LeadEvent.Merged(event.id(), event.subject(),
                    java.util.UUID.fromString(d.path("survivorId").asText()), java.util.UUID.fromString(d.path("mergeId").asText()),
                    Instant.parse(d.path("mergedAt").asText()), d.path("undone").asBoolean());
            default -> throw new IllegalArgumentException("scoring does not consume " + event.type());
        };
    }

    private static LeadEvent email(IncomingEvent event, JsonNode d) {
        String type = switch (d.path("kind").asText()) {
            case "opened" -> "email_open";
            case "clicked" -> "email_click";
            case "bounced" -> "email_bounce";
            case "unsubscribed" -> "email_unsubscribe";
            default -> null;
        };
        if (type == null) {
            return new LeadEvent.NoEffect(event.id(), event.subject());
        }
        return new LeadEvent.ActivityHappened(event.subject(), new Activity(event.id(), type, occurredAt(d), text(d, "url"),
                text(d, "emailId"), null, d.path("bot").asBoolean(false)));
    }

    private static Instant occurredAt(JsonNode d) {
        return Instant.parse(d.path("occurredAt").asText()).truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(JsonNode d, String field) {
        return d.hasNonNull(field) ? d.get(field).asText() : null;
    }
}
