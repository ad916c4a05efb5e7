package io.leadplatform.kpi.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.kpi.config.KpiConfig;
import io.leadplatform.kpi.domain.Deal;
import io.leadplatform.kpi.domain.Dims;
import io.leadplatform.kpi.domain.Stage;
import io.leadplatform.kpi.service.KpiEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the events the KPIs use from CloudEvents (the envelope's {@code id}, {@code type}, {@code time} and
 * {@code data}; the subject is not needed, so website.activity keyed by visitor id reads too). Types without
 * a KPI effect (lead.scored, lead.activity, lead.optin-requested, anything new) answer empty.
 * <p>
 * Member (registration): a lead captured by a form whose key is one of {@code kpi.registration-forms}.
 * Newsletter subscriber: a lead with a granted consent of purpose {@code kpi.newsletter-purpose} that is in
 * force (not a pending double opt-in), from its confirmation time, else its capture time (lead.captured)
 * or the update's time (lead.updated).
 */
@ApplicationScoped
public class KpiEventReader {

    private final Set<String> registrationForms;
    private final String newsletterPurpose;

    public KpiEventReader(KpiConfig config) {
        this.registrationForms = Set.copyOf(config.registrationForms());
        this.newsletterPurpose = config.newsletterPurpose();
    }

    /** The CloudEvent envelope fields the KPIs use. */
    public record Envelope(UUID id, String type, Instant time, JsonNode data) {
    }

    /** Parses the envelope; throws IllegalArgumentException when the record is not a CloudEvent. */
    public Envelope envelope(ObjectMapper mapper, String json) {
        try {
            JsonNode node = mapper.readTree(json);
            return new Envelope(UUID.fromString(node.path("id").asText()), node.path("type").asText(),
                    Instant.parse(node.path("time").asText()), node.path("data"));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a CloudEvent: " + e.getMessage(), e);
        }
    }

    /** The KPI event of an envelope; empty for types without a KPI effect; throws when a known type's data cannot be read. */
    public Optional<KpiEvent> read(Envelope e) {
        return read(e.id(), e.type(), e.time(), e.data());
    }

    /** Throws IllegalArgumentException (or a parse exception) when an event of a known type cannot be read. */
    public Optional<KpiEvent> read(UUID id, String type, Instant time, JsonNode d) {
        return Optional.ofNullable(switch (type) {
            case "lead.captured", "lead.updated" -> captured(id, type.equals("lead.captured"), time, d);
            case "lead.stage-changed" -> new KpiEvent.StageChanged(id, uuid(d, "leadId"), Stage.valueOf(d.path("to").asText()),
                    instant(d, "changedAt"));
            case "deal.closed" -> new KpiEvent.DealClosed(id, new Deal(uuid(d, "dealId"), uuid(d, "leadId"),
                    "won".equals(d.path("outcome").asText()), decimal(d, "revenue"), decimal(d, "grossMargin"),
                    d.path("currency").asText(), instant(d, "closedAt")));
            case "lead.merged" -> new KpiEvent.Merged(id, uuid(d, "leadId"), uuid(d, "survivorId"), d.path("undone").asBoolean(),
                    instant(d, "mergedAt"));
            case "lead.erased" -> new KpiEvent.Erased(id, uuid(d, "leadId"), instant(d, "erasedAt"));
            case "email.event" -> new KpiEvent.Email(id, uuid(d, "leadId"), text(d, "sequenceId"), text(d, "stepId"),
                    d.path("kind").asText(), classification(d), text(d, "bounceType"), instant(d, "occurredAt"));
            case "website.activity" -> new KpiEvent.PageView(id, required(d, "visitorId"),
                    d.hasNonNull("leadId") ? uuid(d, "leadId") : null, instant(d, "occurredAt"), required(d, "channel"),
                    d.path("utm").path("campaign").asText(""), Math.max(0, d.path("durationSeconds").asLong(0)),
                    d.path("sessionStart").asBoolean(false));
            default -> null;
        });
    }

    private KpiEvent.Captured captured(UUID id, boolean isCapture, Instant time, JsonNode d) {
        Instant capturedAt = instant(d, "capturedAt");
        String source = d.path("source").asText("");
        String ref = d.path("sourceRef").asText("");
        String campaign = text(d, "campaign");
        if (campaign == null) {
            campaign = d.path("utm").path("campaign").asText("");
        }
        Dims dims = new Dims(d.path("channel").asText(""), source, campaign,
                "webhook".equals(source) ? ref : "", "form".equals(source) ? ref : "");
        boolean member = "form".equals(source) && registrationForms.contains(ref);
        Instant subscribed = null;
        if (!"unconfirmed".equals(d.path("status").asText()) && granted(d)) {
            subscribed = d.hasNonNull("confirmedAt") ? instant(d, "confirmedAt") : isCapture ? capturedAt : time;
        }
        return new KpiEvent.Captured(id, uuid(d, "leadId"), capturedAt, dims, member, subscribed, isCapture);
    }

    private boolean granted(JsonNode d) {
        for (JsonNode c : d.path("consents")) {
            if (newsletterPurpose.equals(c.path("purpose").asText()) && c.path("granted").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** human / bot / proxy; events without a classification are human unless flagged bot. */
    private static String classification(JsonNode d) {
        String c = text(d, "classification");
        if (c != null) {
            return c;
        }
        return d.path("bot").asBoolean(false) ? "bot" : "human";
    }

    private static UUID uuid(JsonNode d, String field) {
        return UUID.fromString(required(d, field));
    }

    private static Instant instant(JsonNode d, String field) {
        return Instant.parse(required(d, field));
    }

    private static BigDecimal decimal(JsonNode d, String field) {
        return new BigDecimal(required(d, field));
    }

    private static String required(JsonNode d, String field) {
        if (!d.hasNonNull(field)) {
            throw new IllegalArgumentException("data." + field + " is missing");
        }
        return d.get(field).asText();
    }

    private static String text(JsonNode d, String field) {
        return d.hasNonNull(field) ? d.get(field).asText() : null;
    }
}
