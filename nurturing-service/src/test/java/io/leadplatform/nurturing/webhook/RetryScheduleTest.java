package io.leadplatform.nurturing.webhook;

import io.leadplatform.nurturing.domain.webhook.RetrySchedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production schedule (application.properties): 12 attempts, 10 s x 3^(n-1), at most 5 h, +-20 %. */
class RetryScheduleTest {

    static final RetrySchedule PRODUCTION = new RetrySchedule(12, Duration.ofSeconds(10), 3, Duration.ofHours(5), 0.2);

    @Test
    void delaysGrowExponentiallyUpToTheCap() {
        long[] expectedSeconds = {10, 30, 90, 270, 810, 2430, 7290, 18000, 18000, 18000, 18000};
        for (int n = 1; n <= 11; n++) {
            assertEquals(Duration.ofSeconds(expectedSeconds[n - 1]), PRODUCTION.nominalDelay(n), "after attempt " + n);
        }
    }

    @Test
    void theScheduleSpansAboutADayAndOutlastsAnHourLongOutageByFar() {
        Duration span = PRODUCTION.nominalSpan();
        assertEquals(Duration.ofSeconds(10 + 30 + 90 + 270 + 810 + 2430 + 7290 + 4 * 18000), span);
        assertTrue(span.compareTo(Duration.ofHours(20)) > 0 && span.compareTo(Duration.ofHours(28)) < 0, span.toString());
        // a receiver down for an hour: 6 attempts fail in it, the 7th comes at 1 h 0 min 40 s and 5 more follow over ~22 h
        Duration elapsed = Duration.ZERO;
        int failed = 0;
        while (elapsed.compareTo(Duration.ofHours(1)) < 0) {
            failed++;
            elapsed = elapsed.plus(PRODUCTION.nominalDelay(failed));
        }
        assertFalse(PRODUCTION.exhausted(failed), "still retrying after an hour");
        assertEquals(6, failed);
    }

    @Test
    void jitterStaysWithinItsBoundsAndSpreads() {
        RandomGenerator random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = PRODUCTION.delay(3, random).toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min >= 72_000 && max <= 108_000, min + ".." + max);
        assertTrue(min < 75_000 && max > 105_000, "uses the whole range: " + min + ".." + max);
    }

    @Test
    void exhaustedAfterTheLastAttempt() {
        assertFalse(PRODUCTION.exhausted(11));
        assertTrue(PRODUCTION.exhausted(12));
    }
}
