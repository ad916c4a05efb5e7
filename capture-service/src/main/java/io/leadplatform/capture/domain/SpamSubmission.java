package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.UUID;

/** A submission rejected as spam: which form, why, when. No personal data. */
public class SpamSubmission {
    public UUID id;
    public UUID formId;
    public String reason;
    public Instant receivedAt;
}
