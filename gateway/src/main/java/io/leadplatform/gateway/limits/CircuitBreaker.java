package io.leadplatform.gateway.limits;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Circuit breaker of one upstream. Closed: every request passes; {@code threshold} transport failures
 * in a row (refused, reset, timeout; an HTTP status of the upstream is no failure) open it. Open:
 * requests are refused at once until {@code openDuration} has passed; then one trial request passes
 * (half-open) while the others are still refused: its success closes the circuit, its failure opens
 * it again for another {@code openDuration}.
 */
public final class CircuitBreaker {

    private final int threshold;
    private final long openNanos;
    private final LongSupplier clock;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean trialRunning = new AtomicBoolean();
    private volatile long openUntil;
    private volatile boolean open;

    public CircuitBreaker(int threshold, Duration openDuration) {
        this(threshold, openDuration, System::nanoTime);
    }

    CircuitBreaker(int threshold, Duration openDuration, LongSupplier clock) {
        this.threshold = Math.max(1, threshold);
        this.openNanos = openDuration.toNanos();
        this.clock = clock;
    }

    /** 0 when the request may go upstream, otherwise the seconds to put in Retry-After. */
    public long tryPass() {
        if (!open) {
            return 0;
        }
        long wait = openUntil - clock.getAsLong();
        if (wait > 0) {
            return Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        }
        // half-open: one trial at a time
        return trialRunning.compareAndSet(false, true) ? 0 : 1;
    }

    public void onSuccess() {
        failures.set(0);
        if (open) {
            open = false;
            trialRunning.set(false);
        }
    }

    public void onFailure() {
        if (open) {
            // the trial failed (or a request let through before the circuit opened): open again
            openUntil = clock.getAsLong() + openNanos;
            trialRunning.set(false);
            return;
        }
        if (failures.incrementAndGet() >= threshold) {
            openUntil = clock.getAsLong() + openNanos;
            open = true;
        }
    }

    public boolean isOpen() {
        return open;
    }
}
