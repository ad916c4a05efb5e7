package io.leadplatform.capture.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadplatform.capture.domain.PartnerMapping;

import java.time.Instant;

/**
 * A partner as the API shows it. {@code secret} is present only in the answer to a create or a secret
 * rotation: it is shown once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartnerView(String id, String name, String channel, String campaign, boolean active,
                          PartnerMapping mapping, String webhookUrl, Instant createdAt, Instant updatedAt,
                          Instant previousSecretValidUntil, String secret) {

    /** Answer of GET /partners/{id}/report. */
    public record Report(String partnerId, Instant from, Instant to, long deliveries, long accepted, long duplicate,
                         long rejected) {
    }
}
