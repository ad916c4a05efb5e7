package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A partner that posts leads by signed webhook: its Standard Webhooks secret, the channel its leads
 * count as, and how its JSON maps to lead fields ({@link PartnerMapping}, stored as JSON text).
 */
@Entity
@Table(name = "partner")
public class Partner extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String channel;

    public String campaign;

    @Column(nullable = false)
    public boolean active = true;

    /** {@code whsec_<base64>}: symmetric, so it is kept as is to verify signatures. */
    @Column(nullable = false)
    public String secret;

    /** The secret before the last rotation, still accepted until {@link #previousSecretExpiresAt}. */
    @Column(name = "previous_secret")
    public String previousSecret;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(nullable = false)
    public String mapping;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
