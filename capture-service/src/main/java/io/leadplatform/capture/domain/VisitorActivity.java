package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One tracked website event of a visitor: anonymous until the visitor's id is linked to a lead. */
@Entity
@Table(name = "visitor_activity")
public class VisitorActivity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "visitor_id", nullable = false)
    public String visitorId;

    @Column(name = "lead_id")
    public UUID leadId;

    @Column(name = "activity_type", nullable = false)
    public String activityType;

    public String url;

    public String asset;

    @Column(name = "duration_seconds")
    public Integer durationSeconds;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "linked_at")
    public Instant linkedAt;
}
