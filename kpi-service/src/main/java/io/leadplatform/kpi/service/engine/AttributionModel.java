package io.leadplatform.kpi.service.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How a conversion's value is shared among the touches before it (ordered oldest first). Every model's
 * weights sum to 1, and {@link #split} hands out exactly the amount (the rounding rest goes to the last
 * touch), so the totals are the same in every model.
 */
public enum AttributionModel {
    /** all to the first touch */
    FIRST_TOUCH,
    /** all to the last touch before the conversion */
    LAST_TOUCH,
    /** 1/n to each of the n touches */
    LINEAR,
    /** weight 2^(-age / half-life), age = conversion time - touch time, normalised to sum 1 */
    TIME_DECAY,
    /** 40 % first, 40 % last, 20 % shared by the touches between (1 touch: 100 %, 2 touches: 50/50) */
    POSITION_BASED;

    public static final int SCALE = 6;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttributionModel of(String id) {
        for (AttributionModel m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException(id);
    }

    /** The weights of the touches (times oldest first, all at or before {@code conversion}); sums to 1. */
    public double[] weights(List<Instant> touches, Instant conversion, Duration halfLife) {
        int n = touches.size();
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        switch (this) {
            case FIRST_TOUCH -> w[0] = 1;
            case LAST_TOUCH -> w[n - 1] = 1;
            case LINEAR -> java.util.Arrays.fill(w, 1.0 / n);
            case TIME_DECAY -> {
                double total = 0;
                for (int i = 0; i < n; i++) {
                    double age = Duration.between(touches.get(i), conversion).toMillis();
                    w[i] = Math.pow(2, -age / halfLife.toMillis());
                    total += w[i];
                }
                for (int i = 0; i < n; i++) {
                    w[i] /= total;
                }
            }
            case POSITION_BASED -> {
                if (n == 1) {
                    w[0] = 1;
                } else if (n == 2) {
                    w[0] = 0.5;
                    w[1] = 0.5;
                } else {
                    w[0] = 0.4;
                    w[n - 1] = 0.4;
                    for (int i = 1; i < n - 1; i++) {
                        w[i] = 0.2 / (n - 2);
                    }
                }
            }
        }
        return w;
    }

    /** Splits {@code amount} by the weights, rounded to {@link #SCALE} decimals, the rest to the last touch: the parts sum to amount. */
    public static BigDecimal[] split(BigDecimal amount, double[] weights) {
        BigDecimal[] parts = new BigDecimal[weights.length];
        BigDecimal given = BigDecimal.ZERO;
        for (int i = 0; i < weights.length - 1; i++) {
            parts[i] = amount.multiply(BigDecimal.valueOf(weights[i])).setScale(SCALE, RoundingMode.HALF_EVEN);
            given = given.add(parts[i]);
        }
        if (weights.length > 0) {
            parts[weights.length - 1] = amount.subtract(given).setScale(SCALE, RoundingMode.HALF_EVEN);
        }
        return parts;
    }
}
