package io.leadplatform.capture.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** Merge another lead into this one (the survivor): staff verified they are one person. */
public record MergeRequest(
        @NotNull UUID otherLeadId,
        @NotBlank @Size(max = 500) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String reason) {
}
