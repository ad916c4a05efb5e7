package io.leadplatform.nurturing.rest.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.nurturing.domain.webhook.WebhookAttempt;
import io.leadplatform.nurturing.domain.webhook.WebhookDelivery;
import io.leadplatform.nurturing.domain.webhook.WebhookSubscription;
import io.leadplatform.nurturing.service.webhook.WebhookDeliveryService;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the outbound webhook API. */
public final class WebhookViews {

    private WebhookViews() {
    }

    @Schema(name = "WebhookSubscriptionRequest")
    public record SubscriptionRequest(
            @Schema(description = "Receiver URL, http or https", required = true, examples = "https://crm.example.com/hooks/leads") String url,
            @Schema(description = "Event types to receive (see GET /api/nurturing/webhooks/event-types)", required = true,
                    examples = "[\"lead.mql\", \"deal.closed\"]") List<String> eventTypes,
            @Schema(description = "Free text, at most 500 characters") String description,
            @Schema(description = "Deliver (default true); an inactive subscription gets no new deliveries and its pending ones wait")
            Boolean active) {
    }

    @Schema(name = "WebhookSubscription")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionView(UUID id, String url, List<String> eventTypes, String description, boolean active,
                                   Instant createdAt, Instant updatedAt,
                                   @Schema(description = "Standard Webhooks signing secret (whsec_...): only in the answer that created or rotated it")
                                   String secret) {
        static SubscriptionView of(WebhookSubscription s, boolean withSecret) {
            return new SubscriptionView(s.id(), s.url(), s.eventTypes(), s.description(), s.active(), s.createdAt(), s.updatedAt(),
                    withSecret ? s.secret() : null);
        }
    }

    @Schema(name = "WebhookEventType")
    public record EventTypeView(String type, String description) {
    }

    @Schema(name = "WebhookDelivery")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(
            @Schema(description = "Also the webhook-id header: the receiver's idempotency key") UUID id,
            UUID subscriptionId,
            @Schema(description = "The platform event it comes from") UUID eventId,
            String eventType, UUID leadId,
            @Schema(enumeration = {"pending", "succeeded", "dead"}) String status,
            @Schema(description = "Attempts since it was created or last replayed") int attempts,
            int totalAttempts, int replays,
            @Schema(description = "When it is tried next (pending only)") Instant nextAttemptAt,
            Integer lastStatusCode, String lastError, Instant createdAt, Instant deliveredAt, Instant deadAt) {
        static DeliveryView of(WebhookDelivery d) {
            return new DeliveryView(d.id(), d.subscriptionId(), d.eventId(), d.eventType(), d.leadId(), d.status().db(),
                    d.attempts(), d.totalAttempts(), d.replays(),
                    d.status() == WebhookDelivery.Status.PENDING ? d.nextAttemptAt() : null,
                    d.lastStatusCode(), d.lastError(), d.createdAt(), d.deliveredAt(), d.deadAt());
        }
    }

    @Schema(name = "WebhookAttempt")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(Instant attemptedAt,
                              @Schema(description = "HTTP status of the answer; absent when none came (timeout, refused)") Integer statusCode,
                              int latencyMs,
                              @Schema(description = "At most 1 KB of the answer body") String responseExcerpt,
                              String error, boolean succeeded) {
        static AttemptView of(WebhookAttempt a) {
            return new AttemptView(a.attemptedAt(), a.statusCode(), a.latencyMs(), a.responseExcerpt(), a.error(), a.succeeded());
        }
    }

    @Schema(name = "WebhookDeliveryDetail")
    public record DeliveryDetailView(DeliveryView delivery,
                                     @Schema(description = "The exact JSON body sent: {type, timestamp, data, source}", type = SchemaType.OBJECT,
                                             implementation = Object.class) JsonNode payload,
                                     List<AttemptView> attemptLog) {
        static DeliveryDetailView of(WebhookDeliveryService.DeliveryDetail detail, ObjectMapper mapper) {
            JsonNode payload;
            try {
                payload = mapper.readTree(detail.delivery().payload());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return new DeliveryDetailView(DeliveryView.of(detail.delivery()), payload,
                    detail.attempts().stream().map(AttemptView::of).toList());
        }
    }

    @Schema(name = "WebhookReplayRequest")
    public record ReplayRequest(@Schema(description = "Deliveries created at or after", required = true) Instant from,
                                @Schema(description = "... and before (at most 31 days after from)", required = true) Instant to,
                                @Schema(description = "Also send again the ones that succeeded (default false: dead and pending only)")
                                Boolean includeSucceeded) {
    }

    @Schema(name = "WebhookReplayResult")
    public record ReplayResult(int replayed) {
    }
}
