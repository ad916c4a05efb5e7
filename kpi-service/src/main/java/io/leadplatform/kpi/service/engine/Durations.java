package io.leadplatform.kpi.service.engine;

/**
 * Durations kept as histograms with buckets 5 % wide: bucket 0 holds 0 s, bucket b &ge; 1 holds
 * (1.05^(b-1), 1.05^b] seconds. A percentile read from the histogram is the upper edge of the bucket it
 * falls in: at most 5 % above the exact value. Percentiles use the nearest-rank rule.
 */
public final class Durations {

    private static final double LOG_BASE = Math.log(1.05);

    private Durations() {
    }

    public static int bucket(long seconds) {
        if (seconds <= 0) {
            return 0;
        }
        int b = (int) Math.ceil(Math.log(seconds) / LOG_BASE - 1e-9);
        return Math.max(1, b);
    }

    /** The upper edge of a bucket in seconds. */
    public static double upper(int bucket) {
        return bucket == 0 ? 0 : Math.pow(1.05, bucket);
    }

    /**
     * The nearest-rank percentile (p in (0, 1]) of a histogram given as parallel arrays of buckets (ascending)
     * and counts: the upper edge of the bucket holding the ceil(p * n)-th smallest value; null when empty.
     */
    public static Double percentile(int[] buckets, long[] counts, double p) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        if (n == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p * n));
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upper(buckets[i]);
            }
        }
        return upper(buckets[buckets.length - 1]);
    }
}
