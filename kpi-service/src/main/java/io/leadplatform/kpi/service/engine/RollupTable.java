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
    WEBSITE("website_rollup", List.of("day:date", "channel", "campaign"), List.of("sessions", "page_views", "seconds"), List.of()),
    LEAD_SLICE(LEAD, "lead_slice"),
    DURATION_SLICE(DURATION, "duration_slice"),
    DEAL_SLICE(DEAL, "deal_slice");

    /** Tables also kept per month (suffix {@link #MONTHLY_SUFFIX}, day = first day of the month). */
    public static final java.util.Set<RollupTable> MONTHLY = java.util.EnumSet.of(LEAD, DURATION, DEAL, ATTRIBUTION, WEBSITE,
            LEAD_SLICE, DURATION_SLICE, DEAL_SLICE);
    public static final String MONTHLY_SUFFIX = "_month";
    /** The value of channel or campaign in a slice row that counts every channel (campaign). */
    public static final String ANY = "*";

    public final String table;
    public final List<String> keys;
    public final List<String> counts;
    public final List<String> sums;
    /**
     * For a slice: the table it is derived from. A slice keeps the base table's amounts under its keys without
     * source, partner and form, each row counted four times: under (channel, campaign), (channel, {@link #ANY}),
     * ({@link #ANY}, campaign) and ({@link #ANY}, {@link #ANY}), so a report without those filters reads one
     * slice of few rows instead of summing every dimension combination.
     */
    public final RollupTable base;

    RollupTable(String table, List<String> keys, List<String> counts, List<String> sums) {
        this(table, keys, counts, sums, null);
    }

    RollupTable(RollupTable base, String table) {
        this(table, base.keys.stream().filter(k -> !droppedBySlice(name(k))).toList(), base.counts, base.sums, base);
    }

    /** The lead dimensions a slice drops: a report filtered by one of them reads the full table. */
    public static boolean droppedBySlice(String column) {
        return switch (column) {
            case "source", "partner", "form" -> true;
            default -> false;
        };
    }

    private RollupTable(String table, List<String> keys, List<String> counts, List<String> sums, RollupTable base) {
        this.table = table;
        this.keys = keys;
        this.counts = counts;
        this.sums = sums;
        this.base = base;
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
