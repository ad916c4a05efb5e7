package io.leadplatform.nurturing.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A lead in a sequence version: where it stands, when it is due, and what happened so far. */
public record Enrollment(UUID id, UUID leadId, UUID sequenceId, int version, String status, String currentStep, int stepsDone,
                         Instant nextDue, String trigger, Instant startedAt, Instant endedAt, String exitReason,
                         List<HistoryEntry> history) {

    public static final String ACTIVE = "active";
    public static final String COMPLETED = "completed";
    public static final String EXITED = "exited";

    public record HistoryEntry(String stepId, String action, String reason, Instant at) {
    }
}
