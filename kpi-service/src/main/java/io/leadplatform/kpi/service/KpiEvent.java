package io.leadplatform.kpi.service;

import io.leadplatform.kpi.domain.Deal;
import io.leadplatform.kpi.domain.Dims;
import io.leadplatform.kpi.domain.Stage;

import java.time.Instant;
import java.util.UUID;

/** A consumed event as the KPIs need it (read by messaging, applied by {@link IngestService}). */
public sealed interface KpiEvent {

    UUID eventId();

    /** lead.captured or lead.updated: capture time and dimensions, registration, newsletter subscription (null: none). */
    record Captured(UUID eventId, UUID leadId, Instant capturedAt, Dims dims, boolean member, Instant subscribedAt, boolean touch)
            implements KpiEvent {
    }

    record StageChanged(UUID eventId, UUID leadId, Stage to, Instant changedAt) implements KpiEvent {
    }

    record DealClosed(UUID eventId, Deal deal) implements KpiEvent {
    }

    record Merged(UUID eventId, UUID leadId, UUID survivorId, boolean undone, Instant at) implements KpiEvent {
    }

    record Erased(UUID eventId, UUID leadId, Instant at) implements KpiEvent {
    }

    /** email.event; classification human / bot / proxy (opened, clicked), bounceType hard / soft (bounced). */
    record Email(UUID eventId, UUID leadId, String sequenceId, String stepId, String kind, String classification, String bounceType,
                 Instant occurredAt) implements KpiEvent {
    }

    /** website.activity: one page view; leadId null for anonymous visitors. */
    record PageView(UUID eventId, String visitorId, UUID leadId, Instant occurredAt, String channel, String campaign,
                    long seconds, boolean sessionStart) implements KpiEvent {
    }
}
