package io.leadplatform.kpi.service.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The KPI formulas; each ratio is answered with its numerator and denominator. */
public final class Formulas {

    public static final int SCALE = 6;

    private Formulas() {
    }

    /** A ratio numerator / denominator; value null when the denominator is 0 (undefined, not 0). */
    public record Ratio(BigDecimal value, BigDecimal numerator, BigDecimal denominator) {
    }

    public static Ratio ratio(BigDecimal numerator, BigDecimal denominator) {
        BigDecimal value = denominator.signum() == 0 ? null : numerator.divide(denominator, SCALE, RoundingMode.HALF_EVEN);
        return new Ratio(value, numerator, denominator);
    }

    public static Ratio ratio(long numerator, long denominator) {
        return ratio(BigDecimal.valueOf(numerator), BigDecimal.valueOf(denominator));
    }

    /** CPL = acquisition cost / new leads. */
    public static Ratio cpl(BigDecimal cost, long newLeads) {
        return ratio(cost, BigDecimal.valueOf(newLeads));
    }

    /** CPA = acquisition cost / new customers. */
    public static Ratio cpa(BigDecimal cost, long newCustomers) {
        return ratio(cost, BigDecimal.valueOf(newCustomers));
    }

    /** ROI = (gross margin of new customers - acquisition cost) / acquisition cost. */
    public static Ratio roi(BigDecimal grossMargin, BigDecimal cost) {
        return ratio(grossMargin.subtract(cost), cost);
    }

    /** Growth = (current - previous) / previous. */
    public static Ratio growth(long current, long previous) {
        return ratio(current - previous, previous);
    }
}
