package io.leadplatform.nurturing.domain.webhook;

import java.util.UUID;

/** A due delivery a replica claimed under {@code leaseToken}, with what it needs to send it. */
public record ClaimedDelivery(UUID id, UUID leaseToken, String eventType, String payload, int attempts, String url,
                              String secret) {
}
