package io.leadplatform.kpi.domain;

import java.time.Instant;
import java.util.UUID;

/** A marketing touch of a lead: its capture, a visit (session start), a human e-mail click. */
public record Touch(UUID eventId, UUID leadId, Instant at, String channel, String campaign) {
}
