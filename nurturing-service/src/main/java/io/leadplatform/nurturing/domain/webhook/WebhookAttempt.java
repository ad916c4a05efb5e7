package io.leadplatform.nurturing.domain.webhook;

import java.time.Instant;

/** One HTTP call of a delivery: the answer's status (null when none came), latency and at most 1 KB of the answer. */
public record WebhookAttempt(Instant attemptedAt, Integer statusCode, int latencyMs, String responseExcerpt, String error,
                             boolean succeeded) {

    /** The longest answer excerpt kept, in characters. */
    public static final int EXCERPT_LIMIT = 1024;
}
