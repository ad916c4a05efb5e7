package io.leadplatform.scoring.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/** scoring.* settings. */
@ConfigMapping(prefix = "scoring")
public interface ScoringConfig {

    /** How many of the four BANT criteria sales must mark met to accept an MQL as SQL. */
    @WithDefault("3")
    int bantMinMet();

    /** The decay sweep that recycles MQLs gone cold. */
    Every decaySweep();

    /** The durable rescoring job an activation records (service.RescoreJobs), worked off by every replica. */
    Rescore rescore();

    interface Every {
        /** How often it runs (Quarkus scheduler syntax: 10m, 1s …); read by the @Scheduled job. */
        @WithDefault("10m")
        String every();
    }

    interface Rescore {
        /** How often an idle worker looks for chunks to claim (scheduler syntax); read by the @Scheduled worker. */
        @WithDefault("1s")
        String every();

        /** Leads per chunk: one chunk is rescored in one transaction. */
        @WithDefault("500")
        @Min(1)
        int chunkSize();

        /**
         * How long a claim holds a chunk: a chunk whose owner died is claimed again after this; also the longest a
         * rescoring transaction may sit idle before PostgreSQL ends it (a frozen owner releases its locks).
         */
        @WithDefault("30s")
        Duration lease();

        /** Whether this instance runs a worker (false: it only records jobs and answers status). */
        @WithDefault("true")
        boolean worker();
    }
}
