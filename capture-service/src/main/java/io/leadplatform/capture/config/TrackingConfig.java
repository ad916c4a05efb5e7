package io.leadplatform.capture.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Settings of website tracking. */
@ConfigMapping(prefix = "capture.tracking")
public interface TrackingConfig {

    /** Hosts of partner sites: a visit referred by one of them (or a subdomain) has the channel partner. */
    Optional<List<String>> partnerHosts();

    /** Group commit of tracking batches (TrackingWriter). */
    Writes writes();

    interface Writes {
        /** Most tracking requests written in one transaction (each holds up to 100 events). */
        @WithDefault("50")
        int maxBatch();

        /** Batches written at the same time (each holds one database connection). */
        @WithDefault("2")
        int maxInFlight();
    }
}
