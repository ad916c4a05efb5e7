package io.leadplatform.capture.rest;

import io.leadplatform.capture.domain.LeadMerge;

import java.time.Instant;
import java.util.UUID;

/** A recorded merge, as staff see it. */
public record MergeView(UUID id, UUID survivorId, UUID mergedId, String reason, String mergedBy, Instant mergedAt,
                        int movedActivities, int movedVisitorIds, Instant undoneAt, String undoneBy) {

    public static MergeView of(LeadMerge m) {
        return new MergeView(m.id, m.survivorId, m.mergedId, m.reason, m.mergedBy, m.mergedAt,
                m.movedActivityIds.size(), m.movedVisitorIds.size(), m.undoneAt, m.undoneBy);
    }
}
