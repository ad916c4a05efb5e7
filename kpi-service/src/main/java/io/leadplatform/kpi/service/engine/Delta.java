package io.leadplatform.kpi.service.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to rollup rows: per table, per key (a list of LocalDate / String / Integer values, in the table's key
 * order), the amounts to add to its count and sum columns. Contributions are added and subtracted exactly
 * (longs and BigDecimals), so the result does not depend on the order of the additions.
 */
public final class Delta {

    /** The amounts of one row. */
    public static final class Amounts {
        public final long[] counts;
        public final BigDecimal[] sums;

        Amounts(RollupTable table) {
            counts = new long[table.counts.size()];
            sums = new BigDecimal[table.sums.size()];
            Arrays.fill(sums, BigDecimal.ZERO);
        }

        public boolean isZero() {
            for (long c : counts) {
                if (c != 0) {
                    return false;
                }
            }
            for (BigDecimal s : sums) {
                if (s.signum() != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Map<RollupTable, Map<List<Object>, Amounts>> rows = new EnumMap<>(RollupTable.class);

    public Delta count(RollupTable table, List<Object> key, String column, long amount) {
        if (amount != 0) {
            row(table, key).counts[table.count(column)] += amount;
        }
        return this;
    }

    public Delta sum(RollupTable table, List<Object> key, String column, BigDecimal amount) {
        if (amount.signum() != 0) {
            Amounts a = row(table, key);
            int i = table.sum(column);
            a.sums[i] = a.sums[i].add(amount);
        }
        return this;
    }

    private Amounts row(RollupTable table, List<Object> key) {
        if (key.size() != table.keys.size()) {
            throw new IllegalArgumentException(table.table + " needs " + table.keys.size() + " key values, got " + key);
        }
        return rows.computeIfAbsent(table, t -> new HashMap<>()).computeIfAbsent(key, k -> new Amounts(table));
    }

    /** Adds {@code sign} (1 or -1) times the other delta. */
    public Delta add(Delta other, int sign) {
        other.rows.forEach((table, byKey) -> byKey.forEach((key, amounts) -> {
            Amounts a = row(table, key);
            for (int i = 0; i < a.counts.length; i++) {
                a.counts[i] += sign * amounts.counts[i];
            }
            for (int i = 0; i < a.sums.length; i++) {
                a.sums[i] = sign > 0 ? a.sums[i].add(amounts.sums[i]) : a.sums[i].subtract(amounts.sums[i]);
            }
        }));
        return this;
    }

    /** The non-zero rows of a table, sorted by key (writers lock rows in one order, so batches cannot deadlock). */
    public List<Map.Entry<List<Object>, Amounts>> rows(RollupTable table) {
        List<Map.Entry<List<Object>, Amounts>> list = new ArrayList<>();
        rows.getOrDefault(table, Map.of()).forEach((k, v) -> {
            if (!v.isZero()) {
                list.add(Map.entry(k, v));
            }
        });
        list.sort((a, b) -> compare(a.getKey(), b.getKey()));
        return list;
    }

    /** The amounts of a row (zero when absent), for tests. */
    public long count(RollupTable table, List<Object> key, String column) {
        Amounts a = rows.getOrDefault(table, Map.of()).get(key);
        return a == null ? 0 : a.counts[table.count(column)];
    }

    public BigDecimal sum(RollupTable table, List<Object> key, String column) {
        Amounts a = rows.getOrDefault(table, Map.of()).get(key);
        return a == null ? BigDecimal.ZERO : a.sums[table.sum(column)];
    }

    /** The rows of the monthly tables: the same amounts keyed by the first day of their month (key position 0 is the day). */
    public Delta monthly() {
        Delta m = new Delta();
        rows.forEach((table, byKey) -> {
            if (RollupTable.MONTHLY.contains(table)) {
                byKey.forEach((key, amounts) -> {
                    List<Object> monthKey = new ArrayList<>(key);
                    monthKey.set(0, ((java.time.LocalDate) key.get(0)).withDayOfMonth(1));
                    Amounts a = m.row(table, List.copyOf(monthKey));
                    for (int i = 0; i < a.counts.length; i++) {
                        a.counts[i] += amounts.counts[i];
                    }
                    for (int i = 0; i < a.sums.length; i++) {
                        a.sums[i] = a.sums[i].add(amounts.sums[i]);
                    }
                });
            }
        });
        return m;
    }

    /**
     * Adds the rows of every slice table derived from this delta's base tables (see {@link RollupTable#base}):
     * each base row's amounts under its key without source, partner and form, with channel and campaign each
     * either kept or {@link RollupTable#ANY}. Call once, on a delta holding no slice rows yet.
     */
    public Delta addSlices() {
        for (RollupTable slice : RollupTable.values()) {
            if (slice.base == null) {
                continue;
            }
            int[] from = new int[slice.keys.size()];
            int channel = -1;
            int campaign = -1;
            for (int i = 0; i < from.length; i++) {
                String name = RollupTable.name(slice.keys.get(i));
                from[i] = slice.base.keys.stream().map(RollupTable::name).toList().indexOf(name);
                channel = name.equals("channel") ? i : channel;
                campaign = name.equals("campaign") ? i : campaign;
            }
            Map<List<Object>, Amounts> base = rows.getOrDefault(slice.base, Map.of());
            for (Map.Entry<List<Object>, Amounts> e : base.entrySet()) {
                Object[] key = new Object[from.length];
                for (int i = 0; i < from.length; i++) {
                    key[i] = e.getKey().get(from[i]);
                }
                for (Object ch : keptAndAny(key[channel])) {
                    for (Object camp : keptAndAny(key[campaign])) {
                        Object[] k = key.clone();
                        k[channel] = ch;
                        k[campaign] = camp;
                        Amounts a = row(slice, List.of(k));
                        for (int i = 0; i < a.counts.length; i++) {
                            a.counts[i] += e.getValue().counts[i];
                        }
                        for (int i = 0; i < a.sums.length; i++) {
                            a.sums[i] = a.sums[i].add(e.getValue().sums[i]);
                        }
                    }
                }
            }
        }
        return this;
    }

    /** A value and {@link RollupTable#ANY}; a value that is itself {@code ANY} counts there once. */
    private static List<Object> keptAndAny(Object value) {
        return RollupTable.ANY.equals(value) ? List.of(RollupTable.ANY) : List.of(value, RollupTable.ANY);
    }

    public boolean isEmpty() {
        return rows.values().stream().allMatch(m -> m.values().stream().allMatch(Amounts::isZero));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
