package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.UUID;

/** A verified webhook message of a partner and the answer it got (replayed for the same webhook-id). */
public class PartnerDelivery {
    public UUID id;
    public String partnerId;
    public String webhookId;
    public int status;
    public String body;
    public int accepted;
    public int duplicates;
    public int rejected;
    public Instant receivedAt;
}
