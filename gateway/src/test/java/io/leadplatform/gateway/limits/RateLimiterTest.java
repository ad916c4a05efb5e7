package io.leadplatform.gateway.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    @Test
    void limitPerKeyWithRemainingResetAndRetryAfter() {
        RateLimiter limiter = new RateLimiter(Duration.ofMinutes(1), 1000);
        RateLimiter.Decision first = limiter.consume("capture|ip|10.0.0.1", 3);
        assertTrue(first.allowed());
        assertEquals(2, first.remaining());
        assertTrue(first.resetSeconds() >= 1 && first.resetSeconds() <= 20, "one request refills in 20 s");
        limiter.consume("capture|ip|10.0.0.1", 3);
        limiter.consume("capture|ip|10.0.0.1", 3);
        RateLimiter.Decision over = limiter.consume("capture|ip|10.0.0.1", 3);
        assertFalse(over.allowed());
        assertEquals(0, over.remaining());
        assertTrue(over.retryAfterSeconds() >= 1 && over.retryAfterSeconds() <= 20, "retry after " + over.retryAfterSeconds());
        // another caller, another bucket
        assertTrue(limiter.consume("capture|ip|10.0.0.2", 3).allowed());
    }

    @Test
    void sweepDropsFullBucketsOnly() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(Duration.ofMinutes(1), 1000);
        limiter.consume("busy", 1); // empty now, full again only after a minute
        limiter.consume("idle", 1_000_000_000L); // one request refills in 60 ns
        assertEquals(2, limiter.size());
        Thread.sleep(5);
        limiter.sweep();
        assertEquals(1, limiter.size(), "the full bucket is dropped, the empty one kept");
        assertFalse(limiter.consume("busy", 1).allowed(), "the kept bucket still limits");
    }
}
