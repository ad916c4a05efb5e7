package io.leadplatform.nurturing.messaging.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.nurturing.service.webhook.WebhookDeliveryService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;

/**
 * Reads capture.events, scoring.events and nurturing.events (its own consumer group) and queues
 * webhook deliveries for the events subscriptions can ask for. Idempotent without an inbox row: a
 * delivery is unique per (subscription, event id), so a redelivered event adds nothing.
 */
@ApplicationScoped
public class WebhookEventsConsumer {

    private static final Logger LOG = Logger.getLogger(WebhookEventsConsumer.class);
    static final Set<String> TYPES = Set.of(EventTypes.LEAD_CAPTURED, EventTypes.STAGE_CHANGED, EventTypes.DEAL_CLOSED,
            EventTypes.EMAIL_EVENT);

    private final WebhookDeliveryService deliveries;
    private final ObjectMapper mapper;

    public WebhookEventsConsumer(WebhookDeliveryService deliveries, ObjectMapper mapper) {
        this.deliveries = deliveries;
        this.mapper = mapper;
    }

    @Incoming("webhook-events")
    public Uni<Void> consume(String json) {
        IncomingEvent event;
        try {
            event = IncomingEvent.parse(mapper, json);
        } catch (IllegalArgumentException e) {
            LOG.warnf("webhooks: skipped a record that is not a CloudEvent: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!TYPES.contains(event.type())) {
            return Uni.createFrom().voidItem();
        }
        return deliveries.onEvent(event)
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5)
                .replaceWithVoid();
    }
}
