package io.leadplatform.kpi.service.engine;

import java.util.List;

/** A rollup table: its key columns (type per column) and its summed value columns (bigint, then numeric). */
public enum RollupTable {
    LEAD("lead_rollup", List.of("day:date", "channel", "source", "campaign", "partner", "form"),
            List.of("leads", "members", "subscribers", "mql", "sql", "opportunity", "customers", "recycled", "disqualified"), List.of()),
    DURATION("duration_rollup", List.of("day:date", "metric", "channel", "source", "campaign", "partner", "form", "bucket:int"),
            List.of("leads"), List.of()),
    DEAL("deal_rollup", List.of("day:date", "channel", "source", "campaign", "partner", "form", "currency", "rate_month:date"),
            List.of("deals"), List.of("revenue", "gross_margin")),
    ATTRIBUTION("attribution_rollup", List.of("day:date", "model", "channel", "campaign", "currency", "rate_month:date"),
            List.of(), List.of("customers", "revenue")),
    SEQUENCE("sequence_rollup", List.of("day:date", "sequence_id"), List.of("enrolled", "mql", "sql"), List.of()),
    EMAIL("email_rollup", List.of("day:date", "sequence_id", "step_id"),
            List.of("sent", "delivered", "opened_human", "opened_bot", "opened_proxy", "clicked_human", "clicked_bot", "clicked_proxy",
                    "unsubscribed", "bounced_hard", "bounced_soft", "complained"), List.of()),
    WEBSITE("website_rollup", List.of("day:date", "channel", "campaign"), List.of("sessions", "page_views", "seconds"), List.of());

    /** Tables also kept per month (suffix {@link #MONTHLY_SUFFIX}, day = first day of the month). */
    public static final java.util.Set<RollupTable> MONTHLY = java.util.EnumSet.of(LEAD, DURATION, DEAL, ATTRIBUTION);
    public static final String MONTHLY_SUFFIX = "_month";

    public final String table;
    public final List<String> keys;
    public final List<String> counts;
    public final List<String> sums;

    RollupTable(String table, List<String> keys, List<String> counts, List<String> sums) {
        this.table = table;
        this.keys = keys;
        this.counts = counts;
        this.sums = sums;
    }

    public int count(String column) {
        int i = counts.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(table + " has no count " + column);
        }
        return i;
    }

    public int sum(String column) {
        int i = sums.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(table + " has no sum " + column);
        }
        return i;
    }

    /** The key column's name (without its type). */
    public static String name(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(0, colon);
    }

    /** The key column's SQL type: text unless given after a colon. */
    public static String type(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? "text" : key.substring(colon + 1);
    }
}
