package io.leadplatform.scoring.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import com.fasterxml.jackson.core.type.TypeReference;
import io.leadplatform.common.persistence.JsonTextConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A lead's current score and stage, with the contributions that explain it. */
@Entity
@Table(name = "lead_score")
public class LeadScore extends PanacheEntityBase {

    @Id
    @Column(name = "lead_id")
    public UUID leadId;

    public String channel;

    @Column(nullable = false)
    public int fit;

    @Column(nullable = false)
    public String grade;

    @Column(nullable = false)
    public double engagement;

    @Column(nullable = false)
    public String temperature;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Stage stage;

    @Column(name = "model_version", nullable = false)
    public String modelVersion;

    @Column(name = "model_id")
    public UUID modelId;

    /** Whether the last scoring passed the model's MQL thresholds, and why (not). */
    @Column(nullable = false)
    public boolean mql;

    @Column(name = "mql_reason")
    public String mqlReason;

    @Convert(converter = ContributionsConverter.class)
    @Column(nullable = false)
    public List<Contribution> contributions = new ArrayList<>();

    /** The profile fields the fit rules read, as last received from capture-service. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> profile = new LinkedHashMap<>();

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** One rule's share of a score. */
    public record Contribution(String rule, String kind, double points, String reason) {
    }

    public static class ContributionsConverter extends JsonTextConverter<List<Contribution>> {
        public ContributionsConverter() {
            super(new TypeReference<>() {
            });
        }
    }
}
