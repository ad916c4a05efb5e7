package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A submission rejected as spam: which form, why, when. No personal data. */
@Entity
@Table(name = "spam_submission")
public class SpamSubmission extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "form_id", nullable = false)
    public UUID formId;

    @Column(nullable = false)
    public String reason;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
