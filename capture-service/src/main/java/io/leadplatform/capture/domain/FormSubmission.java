package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One accepted submission of a form, kept as received. */
public class FormSubmission {
    public UUID id;
    public UUID formId;
    public UUID leadId;
    public String visitorId;
    public Map<String, Object> payload;
    public Instant receivedAt;
}
