package io.leadplatform.scoring.service;

import io.leadplatform.scoring.service.engine.Activity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One consumed event as scoring reads it; {@code eventId} is the id the inbox dedupes on. */
public sealed interface LeadEvent {

    UUID eventId();

    UUID leadId();

    /** lead.captured / lead.updated: the profile fields the fit rules read. */
    record ProfileChanged(UUID eventId, UUID leadId, Map<String, Object> profile) implements LeadEvent {
    }

    /** lead.activity, or an email.event that maps to an activity (open, click, bounce, unsubscribe). */
    record ActivityHappened(UUID leadId, Activity activity) implements LeadEvent {
        @Override
        public UUID eventId() {
            return activity.eventId();
        }
    }

    /**
     * lead.merged: {@code leadId} was folded into {@code survivorId} (its activities and stage history move to the
     * survivor), or, {@code undone}, that merge was reverted (they move back).
     */
    record Merged(UUID eventId, UUID leadId, UUID survivorId, UUID mergeId, Instant mergedAt, boolean undone) implements LeadEvent {
    }

    /** An event of a consumed type without effect on scores (email sent, delivered): only recorded as processed. */
    record NoEffect(UUID eventId, UUID leadId) implements LeadEvent {
    }
}
