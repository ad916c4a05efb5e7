package io.leadplatform.kpi.domain;

import java.time.Instant;
import java.util.UUID;

/** A lead received its first e-mail of a sequence at {@code firstSentAt}. */
public record Enrollment(UUID leadId, String sequenceId, Instant firstSentAt) {
}
