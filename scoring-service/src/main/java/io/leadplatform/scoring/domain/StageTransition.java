package io.leadplatform.scoring.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One recorded lifecycle transition: the funnel KPIs come from this log. */
@Entity
@Table(name = "stage_transition")
public class StageTransition extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_stage")
    public Stage fromStage;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_stage", nullable = false)
    public Stage toStage;

    @Column(nullable = false)
    public String reason;

    @Column(nullable = false)
    public String actor;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
