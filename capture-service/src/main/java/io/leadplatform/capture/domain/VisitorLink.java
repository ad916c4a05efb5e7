package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.UUID;

/** A visitor id known to belong to a lead. The first form submission carrying it sets it; later claims never move it. */
public class VisitorLink {
    public String visitorId;
    public UUID leadId;
    public Instant linkedAt;

    /** What established the link: {@code form:<key>} or {@code merge:<id>}. */
    public String linkedBy;
}
