package io.leadplatform.nurturing.domain;

import java.time.Instant;
import java.util.UUID;

/** A lead as nurturing sees it: where to write, in which zone, whether it may, and where it stands. */
public record Contact(UUID leadId, String email, String firstName, String lastName, String company, String country,
                      String timeZone, String status, String sourceRef, String channel, boolean marketingConsent,
                      String stage, String grade, String temperature, Instant unsubscribedAt, String suppressed,
                      Instant erasedAt, Instant updatedAt) {

    /** Why no marketing mail may go to this lead now, or null when it may. */
    public String marketingBlock() {
        String block = transactionalBlock();
        if (block != null) {
            return block;
        }
        if (unsubscribedAt != null) {
            return "unsubscribed";
        }
        if ("unconfirmed".equals(status)) {
            return "double opt-in not confirmed";
        }
        if (!marketingConsent) {
            return "no marketing consent";
        }
        return null;
    }

    /** Why not even a transactional mail may go to this lead, or null when it may. */
    public String transactionalBlock() {
        if (erasedAt != null) {
            return "erased";
        }
        if (email == null) {
            return "no address known";
        }
        if (suppressed != null) {
            return "suppressed: " + suppressed.replace('_', ' ');
        }
        return null;
    }

    /** Blocks that end enrollments (not a missing consent, which may still be granted). */
    public boolean permanentlyBlocked() {
        return erasedAt != null || email == null || suppressed != null || unsubscribedAt != null;
    }
}
