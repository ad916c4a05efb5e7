package io.leadplatform.nurturing.domain.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A receiver URL subscribed to event types; {@code secret} (whsec_...) signs every delivery to it. */
public record WebhookSubscription(UUID id, String url, List<String> eventTypes, String description, String secret,
                                  boolean active, Instant createdAt, Instant updatedAt) {
}
