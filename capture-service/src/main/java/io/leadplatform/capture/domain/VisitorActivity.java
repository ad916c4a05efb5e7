package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.UUID;

/** One tracked website event of a visitor: anonymous until the visitor's id is linked to a lead. */
public class VisitorActivity {
    public UUID id;
    public String visitorId;
    public UUID leadId;
    public String activityType;

    public String url;

    public String asset;
    public Integer durationSeconds;
    public Instant occurredAt;
    public Instant receivedAt;
    public Instant linkedAt;
}
