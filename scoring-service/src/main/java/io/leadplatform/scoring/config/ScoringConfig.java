package io.leadplatform.scoring.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** scoring.* settings. */
@ConfigMapping(prefix = "scoring")
public interface ScoringConfig {

    /** How many of the four BANT criteria sales must mark met to accept an MQL as SQL. */
    @WithDefault("3")
    int bantMinMet();

    /** How many leads one round of background rescoring handles (one transaction). */
    @WithDefault("200")
    int rescoreBatchSize();

    /** The decay sweep that recycles MQLs gone cold. */
    Every decaySweep();

    /** Rounds of background rescoring after a model is activated. */
    Every rescore();

    interface Every {
        /** How often it runs (Quarkus scheduler syntax: 10m, 1s …); read by the @Scheduled job. */
        @WithDefault("10m")
        String every();
    }
}
