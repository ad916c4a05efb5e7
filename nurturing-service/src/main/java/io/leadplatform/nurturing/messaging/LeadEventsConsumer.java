package io.leadplatform.nurturing.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.nurturing.service.LeadEventService;
import io.leadplatform.nurturing.service.MailDispatcher;
import io.leadplatform.nurturing.service.SequenceRunner;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.Set;

/**
 * Consumes capture-service's and scoring-service's events a poll at a time, one transaction per poll
 * (idempotent on event id, events in offset order per partition). After a commit in which any handler ran
 * (it may have enrolled leads or queued a mail), the scheduler and dispatcher are woken once instead of
 * waiting for their next tick.
 */
@ApplicationScoped
public class LeadEventsConsumer {

    static final String CAPTURE = "nurturing.contacts";
    static final String SCORING = "nurturing.scoring";
    private static final Set<String> CAPTURE_TYPES = Set.of(EventTypes.LEAD_CAPTURED, EventTypes.LEAD_UPDATED, EventTypes.LEAD_ERASED,
            EventTypes.LEAD_OPTIN_REQUESTED, EventTypes.LEAD_ACTIVITY);
    private static final Set<String> SCORING_TYPES = Set.of(EventTypes.STAGE_CHANGED, EventTypes.LEAD_SCORED);

    private final EventConsumer consumer;
    private final LeadEventService leads;
    private final SequenceRunner runner;
    private final MailDispatcher dispatcher;

    public LeadEventsConsumer(EventConsumer consumer, LeadEventService leads, SequenceRunner runner, MailDispatcher dispatcher) {
        this.consumer = consumer;
        this.leads = leads;
        this.runner = runner;
        this.dispatcher = dispatcher;
    }

    @Incoming("capture-events")
    public Uni<Void> capture(KafkaRecordBatch<String, String> batch) {
        return consumer.consume(CAPTURE, batch, CAPTURE_TYPES, (c, event) -> {
            JsonNode d = event.data();
            return switch (event.type()) {
                case EventTypes.LEAD_CAPTURED, EventTypes.LEAD_UPDATED ->
                        leads.onProfile(c, event.subject(), d, EventTypes.LEAD_CAPTURED.equals(event.type()));
                case EventTypes.LEAD_ERASED -> leads.onErased(c, event.subject());
                case EventTypes.LEAD_OPTIN_REQUESTED -> leads.onOptinRequested(c, event.subject(), d);
                default -> "page_view".equals(d.path("activityType").asText()) && d.hasNonNull("url")
                        ? leads.onPageView(c, event.id(), event.subject(), d.get("url").asText(),
                        d.hasNonNull("occurredAt") ? Instant.parse(d.get("occurredAt").asText()) : event.time())
                        : Uni.createFrom().voidItem();
            };
        }, this::wakeUp);
    }

    @Incoming("scoring-events")
    public Uni<Void> scoring(KafkaRecordBatch<String, String> batch) {
        return consumer.consume(SCORING, batch, SCORING_TYPES, (c, event) -> EventTypes.STAGE_CHANGED.equals(event.type())
                ? leads.onStageChanged(c, event.subject(), event.data().path("to").asText())
                : leads.onScored(c, event.subject(), event.data().path("grade").asText(null), event.data().path("temperature").asText(null)),
                this::wakeUp);
    }

    private void wakeUp(boolean handled) {
        if (handled) {
            runner.wakeUp();
            dispatcher.wakeUp();
        }
    }
}
