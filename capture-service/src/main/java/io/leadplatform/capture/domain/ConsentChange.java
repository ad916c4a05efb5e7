package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One entry of a lead's consent history: a grant or a withdrawal, with the exact text version, time and source. */
@Entity
@Table(name = "consent_change")
public class ConsentChange extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(nullable = false)
    public String purpose;

    @Column(nullable = false)
    public boolean granted;

    @Column(name = "text_version")
    public String textVersion;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** {@code form:<key>}, {@code withdrawal:<user>} or {@code merge:<id>}. */
    @Column(nullable = false)
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
