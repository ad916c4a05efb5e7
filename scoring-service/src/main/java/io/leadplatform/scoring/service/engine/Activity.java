package io.leadplatform.scoring.service.engine;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** One thing a lead did, as the engine reads it. {@code eventId} is the id of the event that reported it. */
public record Activity(UUID eventId, String type, Instant occurredAt, String url, String asset, Integer durationSeconds,
                       boolean bot) {

    /** Activity types of lead.activity plus the negative e-mail signals mapped from email.event. */
    public static final Set<String> TYPES = Set.of("page_view", "download", "webinar", "configurator", "chat", "form",
            "email_open", "email_click", "email_bounce", "email_unsubscribe");

    /** Opens and clicks by scanners or privacy proxies never score. */
    public boolean ignoredAsBot() {
        return bot && ("email_open".equals(type) || "email_click".equals(type));
    }
}
