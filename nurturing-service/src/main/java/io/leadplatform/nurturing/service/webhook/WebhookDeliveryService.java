package io.leadplatform.nurturing.service.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.config.webhook.WebhooksConfig;
import io.leadplatform.nurturing.domain.webhook.ClaimedDelivery;
import io.leadplatform.nurturing.domain.webhook.WebhookAttempt;
import io.leadplatform.nurturing.domain.webhook.WebhookDelivery;
import io.leadplatform.nurturing.domain.webhook.WebhookEventType;
import io.leadplatform.nurturing.repository.webhook.WebhookDeliveryRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Use cases of the delivery queue: turn platform events into deliveries, read the delivery log,
 * replay one delivery or a period, send a test event.
 */
@ApplicationScoped
public class WebhookDeliveryService {

    /** The longest period one replay call may cover. */
    static final Duration MAX_REPLAY_PERIOD = Duration.ofDays(31);
    static final int MAX_PAGE = 500;

    private final WebhookDeliveryRepository deliveries;
    private final WebhookSubscriptionService subscriptions;
    private final WebhookDispatcher dispatcher;
    private final WebhooksConfig config;
    private final ObjectMapper mapper;

    public WebhookDeliveryService(WebhookDeliveryRepository deliveries, WebhookSubscriptionService subscriptions,
                                  WebhookDispatcher dispatcher, WebhooksConfig config, ObjectMapper mapper) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.dispatcher = dispatcher;
        this.config = config;
        this.mapper = mapper;
    }

    /** A delivery with its attempts, oldest first. */
    public record DeliveryDetail(WebhookDelivery delivery, List<WebhookAttempt> attempts) {
    }

    /**
     * Queues platform events (a consumed batch) for every active subscription that wants what they
     * become (lead.mql, deal.closed ...), in one statement; answers how many deliveries were added (none
     * for events no webhook type maps, and none for redelivered events).
     */
    public Uni<Integer> onEvents(List<IncomingEvent> events) {
        List<WebhookDeliveryRepository.QueuedEvent> queued = new java.util.ArrayList<>();
        for (IncomingEvent event : events) {
            WebhookEventType.fromEvent(event.type(), event.data()).ifPresent(type -> queued.add(new WebhookDeliveryRepository.QueuedEvent(
                    event.id(), type.type(), event.subject(), payload(type.type(), event.time(), event.data(), event.id(), event.type()))));
        }
        if (queued.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return deliveries.enqueue(queued, now())
                .invoke(added -> {
                    if (added > 0) {
                        dispatcher.wakeUpSoon();
                    }
                });
    }

    /**
     * The body receivers get (Standard Webhooks payload shape): {@code type}, {@code timestamp}, {@code data}
     * (the platform event's data as it is), and {@code source} naming the platform event it comes from.
     */
    String payload(String type, Instant timestamp, Object data, UUID eventId, String eventType) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", type);
        body.put("timestamp", timestamp.toString());
        body.set("data", mapper.valueToTree(data));
        ObjectNode source = body.putObject("source");
        source.put("eventId", eventId.toString());
        source.put("eventType", eventType);
        return body.toString();
    }

    public Uni<List<WebhookDelivery>> log(UUID subscriptionId, WebhookDelivery.Status status, Instant before, Integer limit) {
        int page = limit == null ? 50 : limit;
        if (page < 1 || page > MAX_PAGE) {
            return Uni.createFrom().failure(ProblemException.invalid("limit", "must be between 1 and " + MAX_PAGE));
        }
        return subscriptions.get(subscriptionId).chain(() -> deliveries.list(subscriptionId, status, before, page));
    }

    public Uni<DeliveryDetail> get(UUID subscriptionId, UUID deliveryId) {
        return deliveries.find(subscriptionId, deliveryId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no delivery " + deliveryId + " of subscription " + subscriptionId))
                .chain(d -> deliveries.attempts(deliveryId).map(attempts -> new DeliveryDetail(d, attempts)));
    }

    /** Makes one delivery due now with a fresh round of retries (the same webhook-id and body). */
    public Uni<DeliveryDetail> replay(UUID subscriptionId, UUID deliveryId) {
        return deliveries.replay(subscriptionId, deliveryId, now()).chain(found -> {
            if (!found) {
                return Uni.createFrom().failure(ProblemException.notFound("no delivery " + deliveryId + " of subscription " + subscriptionId));
            }
            dispatcher.wakeUpSoon();
            return get(subscriptionId, deliveryId);
        });
    }

    /** Makes the subscription's deliveries created in [from, to) due now; answers how many. */
    public Uni<Integer> replayPeriod(UUID subscriptionId, Instant from, Instant to, boolean includeSucceeded) {
        List<Problem.FieldError> errors = new java.util.ArrayList<>();
        if (from == null) {
            errors.add(new Problem.FieldError("from", "is required"));
        }
        if (to == null) {
            errors.add(new Problem.FieldError("to", "is required"));
        }
        if (from != null && to != null && !to.isAfter(from)) {
            errors.add(new Problem.FieldError("to", "must be after from"));
        } else if (from != null && to != null && Duration.between(from, to).compareTo(MAX_REPLAY_PERIOD) > 0) {
            errors.add(new Problem.FieldError("to", "the period may span at most " + MAX_REPLAY_PERIOD.toDays() + " days"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(Problem.invalid(errors)));
        }
        return subscriptions.get(subscriptionId)
                .chain(() -> deliveries.replayPeriod(subscriptionId, from, to, includeSucceeded, now()))
                .invoke(n -> {
                    if (n > 0) {
                        dispatcher.wakeUpSoon();
                    }
                });
    }

    /**
     * Sends a {@code webhook.test} event to the subscription at once and answers its delivery with the
     * attempt. It is logged like any delivery but not retried: a failed test is dead at once (replayable).
     */
    public Uni<DeliveryDetail> sendTest(UUID subscriptionId) {
        return subscriptions.get(subscriptionId).chain(s -> {
            UUID id = UUID.randomUUID();
            UUID lease = UUID.randomUUID();
            Instant now = now();
            ObjectNode data = mapper.createObjectNode();
            data.put("subscriptionId", s.id().toString());
            data.put("message", "test event from the lead platform");
            String payload = payload(WebhookEventType.TEST.type(), now, data, id, WebhookEventType.TEST.type());
            return deliveries.insertClaimed(id, s.id(), WebhookEventType.TEST.type(), payload, lease, now, config.dispatch().lease())
                    .chain(() -> dispatcher.attempt(new ClaimedDelivery(id, lease, WebhookEventType.TEST.type(), payload, 0,
                            s.url(), s.secret())))
                    .chain(() -> get(subscriptionId, id));
        });
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
