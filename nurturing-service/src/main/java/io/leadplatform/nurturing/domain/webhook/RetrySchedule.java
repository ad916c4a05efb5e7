package io.leadplatform.nurturing.domain.webhook;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: exponential backoff with jitter. After attempt {@code n}
 * (1-based) failed, the next one waits {@code initial * multiplier^(n-1)}, capped at {@code max},
 * spread uniformly by +-{@code jitter} so that receivers coming back are not hit by every delivery at
 * once. After {@code maxAttempts} failed attempts the delivery is dead-lettered.
 */
public record RetrySchedule(int maxAttempts, Duration initial, double multiplier, Duration max, double jitter) {

    public RetrySchedule {
        if (maxAttempts < 1 || multiplier < 1 || jitter < 0 || jitter >= 1 || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("invalid retry schedule");
        }
    }

    /** Whether a delivery whose {@code failedAttempts}-th attempt just failed is dead-lettered. */
    public boolean exhausted(int failedAttempts) {
        return failedAttempts >= maxAttempts;
    }

    /** The delay without jitter after the {@code failedAttempts}-th failed attempt (1-based). */
    public Duration nominalDelay(int failedAttempts) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis(Math.round(millis));
    }

    /** The delay with jitter after the {@code failedAttempts}-th failed attempt. */
    public Duration delay(int failedAttempts, RandomGenerator random) {
        long nominal = nominalDelay(failedAttempts).toMillis();
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(nominal * factor)));
    }

    /** First attempt to dead letter, without jitter: the time a receiver may be down before a delivery is given up. */
    public Duration nominalSpan() {
        Duration total = Duration.ZERO;
        for (int n = 1; n < maxAttempts; n++) {
            total = total.plus(nominalDelay(n));
        }
        return total;
    }
}
