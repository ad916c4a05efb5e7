package io.leadplatform.nurturing.domain;

import java.time.Instant;
import java.util.UUID;

/** A version of a sequence as stored. */
public record Sequence(UUID id, int version, int currentVersion, SequenceDefinition definition, Instant createdAt) {
}
