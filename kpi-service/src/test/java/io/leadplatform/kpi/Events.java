package io.leadplatform.kpi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.testsupport.EventSchemas;

import java.time.Instant;
import java.util.UUID;

/** Schema-valid CloudEvents of every type kpi-service consumes, for tests (each validated against its schema). */
final class Events {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Events() {
    }

    private static ObjectNode envelope(String type, UUID subject, String source, Instant time) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", UUID.randomUUID().toString());
        e.put("source", source);
        e.put("type", type);
        e.put("time", time.toString());
        e.put("subject", subject.toString());
        e.put("datacontenttype", "application/json");
        return e;
    }

    private static String valid(ObjectNode e) {
        String json = e.toString();
        EventSchemas.assertValid(json);
        return json;
    }

    static String captured(UUID lead, String at, String channel, String source, String sourceRef, String campaign, boolean newsletter) {
        Instant time = Instant.parse(at);
        ObjectNode e = envelope("lead.captured", lead, "/capture-service", time);
        ObjectNode d = e.putObject("data");
        d.put("leadId", lead.toString());
        d.put("email", "x@" + lead + ".example");
        d.put("source", source);
        d.put("sourceRef", sourceRef);
        d.put("channel", channel);
        d.put("campaign", campaign);
        d.put("capturedAt", at);
        d.put("status", "active");
        d.putObject("utm");
        if (newsletter) {
            d.putArray("consents").addObject().put("purpose", "newsletter").put("granted", true).put("textVersion", "v1");
        } else {
            d.putArray("consents");
        }
        return valid(e);
    }

    static String stage(UUID lead, String from, String to, String at) {
        ObjectNode e = envelope("lead.stage-changed", lead, "/scoring-service", Instant.parse(at));
        ObjectNode d = e.putObject("data");
        d.put("leadId", lead.toString());
        d.put("from", from);
        d.put("to", to);
        d.put("reason", "test");
        d.put("actor", "system");
        d.put("changedAt", at);
        return valid(e);
    }

    static String deal(UUID lead, String revenue, String margin, String currency, String at) {
        ObjectNode e = envelope("deal.closed", lead, "/scoring-service", Instant.parse(at));
        ObjectNode d = e.putObject("data");
        d.put("leadId", lead.toString());
        d.put("dealId", UUID.randomUUID().toString());
        d.put("outcome", "won");
        d.put("revenue", new java.math.BigDecimal(revenue));
        d.put("grossMargin", new java.math.BigDecimal(margin));
        d.put("currency", currency);
        d.put("closedAt", at);
        return valid(e);
    }

    static String merged(UUID lead, UUID survivor, boolean undone, String at) {
        ObjectNode e = envelope("lead.merged", lead, "/capture-service", Instant.parse(at));
        ObjectNode d = e.putObject("data");
        d.put("leadId", lead.toString());
        d.put("survivorId", survivor.toString());
        d.put("mergeId", UUID.randomUUID().toString());
        d.put("mergedAt", at);
        d.put("undone", undone);
        return valid(e);
    }

    static String erased(UUID lead, String at) {
        ObjectNode e = envelope("lead.erased", lead, "/capture-service", Instant.parse(at));
        e.putObject("data").put("leadId", lead.toString()).put("erasedAt", at);
        return valid(e);
    }

    static String email(UUID lead, String sequence, String step, String kind, String classification, String bounceType, String at) {
        ObjectNode e = envelope("email.event", lead, "/nurturing-service", Instant.parse(at));
        ObjectNode d = e.putObject("data");
        d.put("leadId", lead.toString());
        d.put("emailId", UUID.randomUUID().toString());
        d.put("sequenceId", sequence);
        d.put("stepId", step);
        d.put("kind", kind);
        d.put("bot", classification != null && !classification.equals("human"));
        if (classification != null) {
            d.put("classification", classification);
        }
        if (bounceType != null) {
            d.put("bounceType", bounceType);
        }
        d.put("occurredAt", at);
        return valid(e);
    }

    static String pageView(String visitor, String session, UUID lead, String at, String channel, String campaign, int seconds, boolean start) {
        ObjectNode e = envelope("website.activity", lead != null ? lead : UUID.nameUUIDFromBytes(visitor.getBytes()), "/capture-service",
                Instant.parse(at));
        ObjectNode d = e.putObject("data");
        d.put("visitorId", visitor);
        d.put("sessionId", session);
        if (lead != null) {
            d.put("leadId", lead.toString());
        }
        d.put("occurredAt", at);
        d.put("path", "/pricing");
        d.put("channel", channel);
        if (campaign != null) {
            d.putObject("utm").put("campaign", campaign);
        }
        d.put("durationSeconds", seconds);
        d.put("sessionStart", start);
        return valid(e);
    }
}
