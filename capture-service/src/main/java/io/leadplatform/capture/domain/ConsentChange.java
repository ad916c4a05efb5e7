package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.UUID;

/** One entry of a lead's consent history: a grant or a withdrawal, with the exact text version, time and source. */
public class ConsentChange {
    public UUID id;
    public UUID leadId;
    public String purpose;
    public boolean granted;
    public String textVersion;
    public Instant recordedAt;

    /** {@code form:<key>}, {@code withdrawal:<user>} or {@code merge:<id>}. */
    public String source;

    public static ConsentChange of(UUID leadId, Lead.Consent consent) {
        ConsentChange change = new ConsentChange();
        change.id = UUID.randomUUID();
        change.leadId = leadId;
        change.purpose = consent.purpose();
        change.granted = consent.granted();
        change.textVersion = consent.textVersion();
        change.recordedAt = consent.recordedAt();
        change.source = consent.source();
        return change;
    }
}
