package io.leadplatform.gateway.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), now::get);

    @Test
    void opensAfterThresholdFailuresInARowAndRefusesWithRetryAfter() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess(); // a success resets the count
        breaker.onFailure();
        breaker.onFailure();
        assertEquals(0, breaker.tryPass());
        breaker.onFailure();
        assertTrue(breaker.isOpen());
        assertEquals(10, breaker.tryPass());
        now.addAndGet(Duration.ofMillis(7_500).toNanos());
        assertEquals(3, breaker.tryPass()); // rounded up
    }

    @Test
    void halfOpenLetsOneTrialThroughThatClosesOrReopens() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(0, breaker.tryPass(), "the trial");
        assertEquals(1, breaker.tryPass(), "others wait while the trial runs");
        breaker.onFailure(); // trial failed: open for another 10 s
        assertEquals(10, breaker.tryPass());
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(0, breaker.tryPass());
        breaker.onSuccess();
        assertFalse(breaker.isOpen());
        assertEquals(0, breaker.tryPass());
        assertEquals(0, breaker.tryPass());
    }
}
