package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A verified webhook message of a partner and the answer it got (replayed for the same webhook-id). */
@Entity
@Table(name = "partner_delivery")
public class PartnerDelivery extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "partner_id", nullable = false)
    public String partnerId;

    @Column(name = "webhook_id", nullable = false)
    public String webhookId;

    @Column(nullable = false)
    public int status;

    @Column(nullable = false)
    public String body;

    @Column(nullable = false)
    public int accepted;

    @Column(nullable = false)
    public int duplicates;

    @Column(nullable = false)
    public int rejected;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
