package io.leadplatform.scoring.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One saved version of a scoring model; its definition (JSON) never changes after it is saved. */
@Entity
@Table(name = "scoring_model")
public class ScoringModel extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public int version;

    /** The {@link io.leadplatform.scoring.service.engine.ModelDefinition} as JSON. */
    @Column(nullable = false)
    public String definition;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    public String label() {
        return name + "@" + version;
    }
}
