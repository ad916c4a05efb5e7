package io.leadplatform.nurturing.messaging.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.inbox.ConsumerRetry;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.nurturing.service.webhook.WebhookDeliveryService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads capture.events, scoring.events and nurturing.events (its own consumer group) and queues
 * webhook deliveries for the events subscriptions can ask for, a polled batch at a time. Idempotent
 * without an inbox row: a delivery is unique per (subscription, event id), so a redelivered event adds
 * nothing. Retries by platform-common's {@link ConsumerRetry} (waits while the database is unreachable).
 */
@ApplicationScoped
public class WebhookEventsConsumer {

    private static final Logger LOG = Logger.getLogger(WebhookEventsConsumer.class);
    static final Set<String> TYPES = Set.of(EventTypes.LEAD_CAPTURED, EventTypes.STAGE_CHANGED, EventTypes.DEAL_CLOSED,
            EventTypes.EMAIL_EVENT);

    private final WebhookDeliveryService deliveries;
    private final ObjectMapper mapper;
    private final ConsumerRetry retry;

    public WebhookEventsConsumer(WebhookDeliveryService deliveries, ObjectMapper mapper, ConsumerRetry retry) {
        this.deliveries = deliveries;
        this.mapper = mapper;
        this.retry = retry;
    }

    /** A batch of records (one poll): one statement queues the deliveries of all of them. */
    @Incoming("webhook-events")
    public Uni<Void> consume(List<String> records) {
        List<IncomingEvent> events = new ArrayList<>(records.size());
        for (String json : records) {
            try {
                IncomingEvent event = IncomingEvent.parse(mapper, json);
                if (TYPES.contains(event.type())) {
                    events.add(event);
                }
            } catch (IllegalArgumentException e) {
                LOG.warnf("webhooks: skipped a record that is not a CloudEvent: %s", e.getMessage());
            }
        }
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return retry.run("webhooks", () -> deliveries.onEvents(events)).replaceWithVoid();
    }
}
