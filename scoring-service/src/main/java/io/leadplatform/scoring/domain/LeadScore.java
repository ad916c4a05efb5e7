package io.leadplatform.scoring.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A lead's current score and stage, with the contributions that explain it (a row of {@code lead_score}). */
public class LeadScore {

    public UUID leadId;

    public String channel;

    public int fit;

    public String grade;

    public double engagement;

    public String temperature;

    public Stage stage;

    public String modelVersion;

    public UUID modelId;

    /** Whether the last scoring passed the model's MQL thresholds, and why (not). */
    public boolean mql;

    public String mqlReason;

    /** Stored as JSON text. */
    public List<Contribution> contributions = new ArrayList<>();

    /** The profile fields the fit rules read, as last received from capture-service (jsonb). */
    public Map<String, Object> profile = new LinkedHashMap<>();

    public Instant updatedAt;

    /** One rule's share of a score. */
    public record Contribution(String rule, String kind, double points, String reason) {
    }
}
