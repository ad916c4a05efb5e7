package io.leadplatform.capture.rest;

import io.leadplatform.capture.domain.Lead;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A lead as marketing and sales read it. */
public record LeadView(UUID id, String email, String firstName, String lastName, String company, String jobTitle,
                       String phone, String country, String timeZone, String source, String sourceRef, String channel, String campaign,
                       Map<String, String> utm, Map<String, Object> fields, List<Lead.Consent> consents,
                       String status, Instant confirmedAt, boolean disposableEmail,
                       Instant createdAt, Instant updatedAt) {

    public static LeadView of(Lead l) {
        return new LeadView(l.id, l.email, l.firstName, l.lastName, l.company, l.jobTitle, l.phone, l.country, l.timeZone, l.source,
                l.sourceRef, l.channel, l.campaign, l.utm, l.fields, l.consents, l.status, l.confirmedAt,
                l.disposableEmail, l.createdAt, l.updatedAt);
    }

    /** One page of leads and the cursor of the next page (null on the last one). */
    public record Page(List<LeadView> items, String nextCursor) {
    }
}
