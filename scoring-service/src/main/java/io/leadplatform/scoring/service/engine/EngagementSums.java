package io.leadplatform.scoring.service.engine;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * A lead's engagement kept incrementally, so scoring a new activity never reloads the lead's history.
 * Per engagement rule of one model: how many events matched, and the sum of their points decayed to an
 * anchor instant A (the latest activity seen): S = Σ points × 0.5^((A − tᵢ) / half-life).
 * <p>
 * Because decay is a pure exponential, the decayed sum at any {@code now ≥ A} is exactly
 * S × 0.5^((now − A) / half-life), the same as summing each event's points × 0.5^((now − tᵢ) / half-life)
 * as {@link ScoringEngine#score} does (up to floating-point rounding, about 1e-15 relative). Moving the anchor
 * forward to a later activity multiplies S by 0.5^(Δ / half-life): the sums only ever shrink, so they cannot
 * overflow however old the lead is. For {@code now < A} (an activity dated in the future) the engine's
 * "age counts as 0" rule is not an exponential any more: {@link #exactAt} says so and the caller rescores
 * from the full history instead. Rules without a half-life keep a plain sum.
 * <p>
 * Ages are taken in whole milliseconds, as {@link ScoringEngine#decay} does.
 */
public final class EngagementSums {

    private static final double MILLIS_PER_DAY = 86_400_000d;
    private static final long EMPTY = Long.MIN_VALUE;

    private final UUID modelId;
    private final double[] halfLifeDays;
    private final int[] counts;
    private final double[] sums;
    private long anchorMillis;

    EngagementSums(UUID modelId, double[] halfLifeDays) {
        this(modelId, halfLifeDays, new int[halfLifeDays.length], new double[halfLifeDays.length], EMPTY);
    }

    private EngagementSums(UUID modelId, double[] halfLifeDays, int[] counts, double[] sums, long anchorMillis) {
        this.modelId = modelId;
        this.halfLifeDays = halfLifeDays;
        this.counts = counts;
        this.sums = sums;
        this.anchorMillis = anchorMillis;
    }

    /** The model whose rules these sums follow (another model's rules need a rescore from history). */
    public UUID modelId() {
        return modelId;
    }

    /** The latest activity time added, or null when none was. */
    public Instant anchor() {
        return anchorMillis == EMPTY ? null : Instant.ofEpochMilli(anchorMillis);
    }

    /** Whether {@link #decayed} is exact at {@code now}: no activity added lies after it. */
    public boolean exactAt(Instant now) {
        return anchorMillis == EMPTY || anchorMillis <= now.toEpochMilli();
    }

    public int count(int rule) {
        return counts[rule];
    }

    /** Adds one event that matched the rule: {@code points} at {@code occurredAt}. */
    void add(int rule, double points, Instant occurredAt) {
        long t = occurredAt.toEpochMilli();
        if (anchorMillis == EMPTY) {
            anchorMillis = t;
        } else if (t > anchorMillis) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] *= factor(i, t - anchorMillis);
            }
            anchorMillis = t;
        }
        sums[rule] += points * factor(rule, anchorMillis - t);
        counts[rule]++;
    }

    /** The rule's events' points decayed to {@code now} (exact when {@link #exactAt}{@code (now)}). */
    double decayed(int rule, Instant now) {
        if (counts[rule] == 0) {
            return 0;
        }
        return sums[rule] * factor(rule, Math.max(0, now.toEpochMilli() - anchorMillis));
    }

    private double factor(int rule, long ageMillis) {
        double h = halfLifeDays[rule];
        return Double.isNaN(h) ? 1d : Math.pow(0.5, ageMillis / MILLIS_PER_DAY / h);
    }

    /** Compact text for storage: {@code modelId;anchor;count,count,…;sum,sum,…} (sums in round-trip exact form). */
    public String encode() {
        StringBuilder b = new StringBuilder(64 + sums.length * 24).append(modelId).append(';').append(anchorMillis).append(';');
        for (int i = 0; i < counts.length; i++) {
            b.append(i == 0 ? "" : ",").append(counts[i]);
        }
        b.append(';');
        for (int i = 0; i < sums.length; i++) {
            b.append(i == 0 ? "" : ",").append(Double.toString(sums[i]));
        }
        return b.toString();
    }

    /** Reads {@link #encode()}'s text; null when it is absent, unreadable or does not fit the rules given. */
    static EngagementSums decode(String text, double[] halfLifeDays) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String[] parts = text.split(";", -1);
        try {
            if (parts.length != 4) {
                return null;
            }
            String[] n = parts[2].isEmpty() ? new String[0] : parts[2].split(",");
            String[] s = parts[3].isEmpty() ? new String[0] : parts[3].split(",");
            if (n.length != halfLifeDays.length || s.length != halfLifeDays.length) {
                return null;
            }
            int[] counts = Arrays.stream(n).mapToInt(Integer::parseInt).toArray();
            double[] sums = Arrays.stream(s).mapToDouble(Double::parseDouble).toArray();
            return new EngagementSums(UUID.fromString(parts[0]), halfLifeDays, counts, sums, Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EngagementSums[%s]", encode());
    }
}
