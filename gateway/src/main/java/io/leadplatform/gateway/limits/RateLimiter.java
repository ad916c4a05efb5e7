package io.leadplatform.gateway.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory token buckets (Bucket4j), one per key ({@code <route>|<class>|<caller>}). Each bucket
 * holds {@code limit} requests and refills them evenly over the window. Buckets that are full again
 * hold no information and are dropped by {@link #sweep()}, so memory follows the active callers.
 */
public final class RateLimiter {

    /** The outcome for one request: whether it may pass, and what the RateLimit headers say. */
    public record Decision(boolean allowed, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private record Held(Bucket bucket, long capacity) {
    }

    private final Map<String, Held> buckets = new ConcurrentHashMap<>();
    private final Duration window;
    private final int maxKeys;

    public RateLimiter(Duration window, int maxKeys) {
        this.window = window;
        this.maxKeys = maxKeys;
    }

    public Duration window() {
        return window;
    }

    /** Takes one request from the key's bucket of {@code limit} requests per window. */
    public Decision consume(String key, long limit) {
        Held held = buckets.get(key);
        if (held == null) {
            if (buckets.size() >= maxKeys) {
                sweep();
            }
            held = buckets.computeIfAbsent(key, k -> new Held(newBucket(limit), limit));
        }
        ConsumptionProbe probe = held.bucket().tryConsumeAndReturnRemaining(1);
        long reset = ceilSeconds(probe.getNanosToWaitForReset());
        if (probe.isConsumed()) {
            return new Decision(true, probe.getRemainingTokens(), reset, 0);
        }
        return new Decision(false, 0, reset, Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())));
    }

    private Bucket newBucket(long limit) {
        return Bucket.builder()
                .addLimit(b -> b.capacity(limit).refillGreedy(limit, window))
                .build();
    }

    /** Drops the buckets that are full again (their callers were idle for a whole window). */
    public void sweep() {
        buckets.values().removeIf(h -> h.bucket().getAvailableTokens() >= h.capacity());
    }

    public int size() {
        return buckets.size();
    }

    private static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
