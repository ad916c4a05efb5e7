package io.leadplatform.scoring.service.engine;

import java.util.List;

/**
 * What a scoring model says (immutable once saved): fit rules and grade bands, engagement rules and
 * temperature thresholds, and the MQL thresholds. Stored as JSON; {@link ModelValidator} checks it.
 */
public record ModelDefinition(List<FitRule> fitRules, List<GradeBand> gradeBands, List<EngagementRule> engagementRules,
                              Temperatures temperatures, MqlThreshold mql) {

    /** A fit rule on a profile field. Operators: see {@link FitOperator}. */
    public record FitRule(String id, String field, String operator, String value, List<String> values, Double min, Double max,
                          int points, String description) {
    }

    /** The lowest fit that still earns the grade; fit below every band is F. */
    public record GradeBand(String grade, int minFit) {
    }

    /**
     * An engagement rule on activities: optional type, URL / asset regex, minimum time on page; points
     * (negative for negative signals), the cap of the rule's total (absolute), and the half-life in days
     * (null: no decay).
     */
    public record EngagementRule(String id, String activityType, String urlPattern, String assetPattern, Integer minSeconds,
                                 double points, Double cap, Double halfLifeDays, String description) {
    }

    /** Engagement from {@code hot} is hot, from {@code warm} warm, else cold. */
    public record Temperatures(double hot, double warm) {
    }

    /** MQL when the grade is at least {@code minGrade} and engagement at least {@code minEngagement}. */
    public record MqlThreshold(String minGrade, double minEngagement) {
    }
}
