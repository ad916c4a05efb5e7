package io.leadplatform.kpi.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** Reporting buckets: day, ISO week (from Monday), calendar month, calendar quarter (UTC). */
public enum Grain {
    DAY("d"), WEEK("w"), MONTH("m"), QUARTER("q");

    /** The code stored in website_visitor(s).grain. */
    public final String code;

    Grain(String code) {
        this.code = code;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The first day of the bucket holding {@code day}. */
    public LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case QUARTER -> day.with(IsoFields.DAY_OF_QUARTER, 1);
        };
    }

    /** The last day of the bucket holding {@code day}. */
    public LocalDate end(LocalDate day) {
        return next(start(day)).minusDays(1);
    }

    /** The first day of the next bucket after the one starting at {@code start}. */
    public LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
        };
    }

    public static Grain of(String id) {
        for (Grain g : values()) {
            if (g.id().equals(id)) {
                return g;
            }
        }
        throw new IllegalArgumentException(id);
    }
}
