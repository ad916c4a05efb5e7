package io.leadplatform.nurturing.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One e-mail in the queue: of a sequence step (idempotent per enrollment and step run), a double opt-in
 * confirmation, or a test send. {@code variables} is extra template data as JSON.
 */
public record Mail(UUID id, UUID leadId, UUID enrollmentId, UUID sequenceId, Integer sequenceVersion, String stepId,
                   Integer stepSeq, String templateId, boolean transactional, String kind, String toAddress, String variables,
                   String messageId, String state, Instant dueAt, int attempts, Instant sentAt) {

    public static final String SEQUENCE = "sequence";
    public static final String OPTIN = "optin";
    public static final String TEST = "test";

    public static final String QUEUED = "queued";
    public static final String DISPATCHING = "dispatching";
    public static final String SENT = "sent";
    public static final String BOUNCED = "bounced";
    public static final String SUPPRESSED = "suppressed";
    public static final String UNKNOWN = "unknown";

    /** A new mail, queued for {@code dueAt}; its Message-ID is derived from its id. */
    public static Mail queued(UUID leadId, UUID enrollmentId, UUID sequenceId, Integer version, String stepId, Integer stepSeq,
                              String templateId, boolean transactional, String kind, String toAddress, String variables,
                              Instant dueAt, String domain) {
        UUID id = UUID.randomUUID();
        return new Mail(id, leadId, enrollmentId, sequenceId, version, stepId, stepSeq, templateId, transactional, kind, toAddress,
                variables, "<" + id + "@" + domain + ">", QUEUED, dueAt, 0, null);
    }
}
