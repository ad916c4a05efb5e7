package io.leadplatform.common.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "platform.outbox")
public interface OutboxConfig {

    /** The topic this service's events go to (capture.events, scoring.events, nurturing.events). */
    String topic();

    /** CloudEvents source attribute, e.g. /capture-service. */
    String source();

    /** Validate every event against its schema in contracts/events before it is written. */
    @WithDefault("true")
    boolean validate();

    /** How often the relay looks for pending events when nothing woke it. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Events claimed and sent per relay round. */
    @WithDefault("500")
    int batchSize();
}
