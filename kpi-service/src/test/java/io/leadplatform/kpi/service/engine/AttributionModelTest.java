package io.leadplatform.kpi.service.engine;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Attribution weights on hand-computed examples; every model hands out exactly the amount. */
class AttributionModelTest {

    private static final Instant CLOSE = Instant.parse("2025-04-15T00:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);
    private static final List<Instant> FOUR = List.of(CLOSE.minus(Duration.ofDays(21)), CLOSE.minus(Duration.ofDays(14)),
            CLOSE.minus(Duration.ofDays(7)), CLOSE);

    @Test
    void weightsOfEachModel() {
        assertArrayEquals(new double[]{1, 0, 0, 0}, AttributionModel.FIRST_TOUCH.weights(FOUR, CLOSE, WEEK));
        assertArrayEquals(new double[]{0, 0, 0, 1}, AttributionModel.LAST_TOUCH.weights(FOUR, CLOSE, WEEK));
        assertArrayEquals(new double[]{0.25, 0.25, 0.25, 0.25}, AttributionModel.LINEAR.weights(FOUR, CLOSE, WEEK));
        assertArrayEquals(new double[]{0.4, 0.1, 0.1, 0.4}, AttributionModel.POSITION_BASED.weights(FOUR, CLOSE, WEEK), 1e-12);
        assertArrayEquals(new double[]{0.5, 0.5}, AttributionModel.POSITION_BASED.weights(FOUR.subList(0, 2), CLOSE, WEEK));
        // half-life 7 days, ages 21, 14, 7, 0 days: 1/8, 1/4, 1/2, 1 -> divided by 15/8: 1/15, 2/15, 4/15, 8/15
        assertArrayEquals(new double[]{1.0 / 15, 2.0 / 15, 4.0 / 15, 8.0 / 15}, AttributionModel.TIME_DECAY.weights(FOUR, CLOSE, WEEK), 1e-12);
    }

    @Test
    void everyModelSplitsExactlyTheAmount() {
        BigDecimal revenue = new BigDecimal("1000");
        for (AttributionModel m : AttributionModel.values()) {
            BigDecimal[] parts = AttributionModel.split(revenue, m.weights(FOUR, CLOSE, WEEK));
            assertEquals(0, Arrays.stream(parts).reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(revenue), m.id());
        }
        // 1000 / 3 three ways: 333.333333 twice, the rest (333.333334) to the last touch
        BigDecimal[] thirds = AttributionModel.split(revenue, AttributionModel.LINEAR.weights(FOUR.subList(0, 3), CLOSE, WEEK));
        assertArrayEquals(new BigDecimal[]{new BigDecimal("333.333333"), new BigDecimal("333.333333"), new BigDecimal("333.333334")}, thirds);
        BigDecimal[] decay = AttributionModel.split(new BigDecimal("15"), AttributionModel.TIME_DECAY.weights(FOUR, CLOSE, WEEK));
        assertArrayEquals(new BigDecimal[]{new BigDecimal("1.000000"), new BigDecimal("2.000000"), new BigDecimal("4.000000"),
                new BigDecimal("8.000000")}, decay);
    }
}
