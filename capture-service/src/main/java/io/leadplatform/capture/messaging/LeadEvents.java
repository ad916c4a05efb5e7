package io.leadplatform.capture.messaging;

import io.leadplatform.capture.domain.Lead;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.contracts.EventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The events capture-service emits about leads (contracts/events/lead.*.schema.json), via the outbox. */
@ApplicationScoped
public class LeadEvents {

    private final TransactionOutbox outbox;

    public LeadEvents(TransactionOutbox outbox) {
        this.outbox = outbox;
    }

    public Uni<UUID> captured(SqlClient c, Lead lead) {
        return outbox.add(c, capturedEvent(lead));
    }

    /** The lead.captured outbox row, not yet written (for batch writers). */
    public OutboxEvent capturedEvent(Lead lead) {
        return outbox.prepare(EventTypes.LEAD_CAPTURED, lead.id, profile(lead));
    }

    public Uni<UUID> updated(SqlClient c, Lead lead) {
        return outbox.add(c, updatedEvent(lead));
    }

    /** The lead.updated outbox row, not yet written. */
    public OutboxEvent updatedEvent(Lead lead) {
        return outbox.prepare(EventTypes.LEAD_UPDATED, lead.id, profile(lead));
    }

    /** A double opt-in form was submitted: nurturing sends the confirmation e-mail with this link. */
    public Uni<UUID> optinRequested(SqlClient c, Lead lead, String formKey, String confirmUrl, java.time.Instant expiresAt,
                                    java.util.List<String> purposes, String consentVersion) {
        return outbox.add(c, optinRequestedEvent(lead, formKey, confirmUrl, expiresAt, purposes, consentVersion));
    }

    /** The lead.optin-requested outbox row, not yet written (for batch writers). */
    public OutboxEvent optinRequestedEvent(Lead lead, String formKey, String confirmUrl, java.time.Instant expiresAt,
                                           java.util.List<String> purposes, String consentVersion) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", lead.id.toString());
        data.put("formKey", formKey);
        data.put("confirmUrl", confirmUrl);
        data.put("expiresAt", expiresAt.toString());
        data.put("purposes", purposes);
        data.put("consentVersion", consentVersion);
        return outbox.prepare(EventTypes.LEAD_OPTIN_REQUESTED, lead.id, data);
    }

    static Map<String, Object> profile(Lead lead) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", lead.id.toString());
        data.put("email", lead.email);
        data.put("firstName", lead.firstName);
        data.put("lastName", lead.lastName);
        data.put("company", lead.company);
        data.put("jobTitle", lead.jobTitle);
        data.put("phone", lead.phone);
        data.put("country", lead.country);
        data.put("timeZone", lead.timeZone);
        data.put("source", lead.source);
        data.put("sourceRef", lead.sourceRef);
        data.put("channel", lead.channel);
        data.put("campaign", lead.campaign);
        data.put("capturedAt", lead.createdAt.toString());
        data.put("status", lead.status);
        data.put("confirmedAt", lead.confirmedAt == null ? null : lead.confirmedAt.toString());
        data.put("utm", lead.utm);
        // while a double opt-in is pending no consent is in force
        boolean pending = Lead.STATUS_UNCONFIRMED.equals(lead.status);
        data.put("consents", lead.consents.stream()
                .map(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("purpose", c.purpose());
                    m.put("granted", c.granted() && !pending);
                    m.put("textVersion", c.textVersion());
                    return m;
                }).toList());
        data.put("fields", lead.fields);
        return data;
    }
}
