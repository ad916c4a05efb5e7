package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A visitor id known to belong to a lead. The first form submission carrying it sets it; later claims never move it. */
@Entity
@Table(name = "visitor_link")
public class VisitorLink extends PanacheEntityBase {

    @Id
    @Column(name = "visitor_id")
    public String visitorId;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(name = "linked_at", nullable = false)
    public Instant linkedAt;

    /** What established the link: {@code form:<key>} or {@code merge:<id>}. */
    @Column(name = "linked_by", nullable = false)
    public String linkedBy;
}
