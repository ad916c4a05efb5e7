package io.leadplatform.nurturing.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A lead as nurturing sees it: where to write and whether it may. */
@Entity
@Table(name = "contact")
public class Contact extends PanacheEntityBase {

    @Id
    @Column(name = "lead_id")
    public UUID leadId;

    @Column(nullable = false)
    public String email;

    @Column(name = "first_name")
    public String firstName;

    @Column(name = "marketing_consent", nullable = false)
    public boolean marketingConsent;

    public String channel;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
