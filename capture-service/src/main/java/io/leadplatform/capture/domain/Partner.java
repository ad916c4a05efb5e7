package io.leadplatform.capture.domain;

import java.time.Instant;

/**
 * A partner that posts leads by signed webhook: its Standard Webhooks secret, the channel its leads
 * count as, and how its JSON maps to lead fields ({@link PartnerMapping}, stored as JSON text).
 */
public class Partner {
    public String id;
    public String name;
    public String channel;

    public String campaign;
    public boolean active = true;

    /** {@code whsec_<base64>}: symmetric, so it is kept as is to verify signatures. */
    public String secret;

    /** The secret before the last rotation, still accepted until {@link #previousSecretExpiresAt}. */
    public String previousSecret;
    public Instant previousSecretExpiresAt;
    public String mapping;
    public Instant createdAt;
    public Instant updatedAt;
}
