package io.leadplatform.capture.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** CSV imports: rows per transaction, where uploads wait, how many row errors are kept per job. */
@ConfigMapping(prefix = "capture.imports")
public interface ImportConfig {

    /** Rows per transaction (leads, their outbox events, row errors and the job's counters commit together). */
    @WithDefault("500")
    int batchSize();

    /** Directory for uploaded files while their job runs (default: java.io.tmpdir/capture-imports). */
    Optional<String> workDir();

    /** Row errors kept per job for the download; counters stay exact beyond it. */
    @WithDefault("100000")
    int maxStoredErrors();

    /** Largest request body of the non-import endpoints (imports may be larger, up to quarkus.http.limits.max-body-size). */
    @WithDefault("1048576")
    long maxBodyBytes();

    /**
     * A queued or running job whose owner has not refreshed its heartbeat for this long (the instance stopped or
     * died) is resumed by an instance that holds its file, after the rows it had committed.
     */
    @WithDefault("60s")
    Duration orphanAfter();
}
