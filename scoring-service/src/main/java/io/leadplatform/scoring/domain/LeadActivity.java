package io.leadplatform.scoring.domain;

import io.leadplatform.scoring.service.engine.Activity;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Something a lead did, keyed by the id of the event that reported it. */
@Entity
@Table(name = "lead_activity")
public class LeadActivity extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(name = "activity_type", nullable = false)
    public String activityType;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    public String url;

    public String asset;

    @Column(name = "duration_seconds")
    public Integer durationSeconds;

    @Column(nullable = false)
    public boolean bot;

    public Activity toActivity() {
        return new Activity(eventId, activityType, occurredAt, url, asset, durationSeconds, bot);
    }
}
