package io.leadplatform.nurturing.domain.webhook;

import java.time.Instant;
import java.util.UUID;

/** One event for one subscription, with where it stands. {@code id} is the webhook-id the receiver sees. */
public record WebhookDelivery(UUID id, UUID subscriptionId, UUID eventId, String eventType, UUID leadId, String payload,
                              Status status, int attempts, int totalAttempts, int replays, Instant nextAttemptAt,
                              Integer lastStatusCode, String lastError, Instant createdAt, Instant deliveredAt,
                              Instant deadAt) {

    public enum Status {
        /** waiting for its next attempt (or in flight) */
        PENDING,
        /** the receiver answered 2xx */
        SUCCEEDED,
        /** every attempt failed: dead-lettered until replayed */
        DEAD;

        public String db() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status ofDb(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
