package io.leadplatform.scoring.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.inbox.Inbox;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.scoring.service.ScoringService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;

/** Consumes nurturing-service's email events (open, click, bounce, unsubscribe) and activities; idempotent on event id. */
@ApplicationScoped
public class NurturingEventsConsumer {

    static final String CONSUMER = "scoring.nurturing";

    private final Inbox inbox;
    private final ScoringService scoring;
    private final ObjectMapper mapper;

    public NurturingEventsConsumer(Inbox inbox, ScoringService scoring, ObjectMapper mapper) {
        this.inbox = inbox;
        this.scoring = scoring;
        this.mapper = mapper;
    }

    @Incoming("nurturing-events")
    public Uni<Void> consume(String json) {
        return inbox.consume(CONSUMER, mapper, json, Set.of(EventTypes.EMAIL_EVENT, EventTypes.LEAD_ACTIVITY), this::handle);
    }

    private Uni<Void> handle(IncomingEvent event) {
        return EventTypes.EMAIL_EVENT.equals(event.type()) ? scoring.onEmailEvent(event) : scoring.onActivity(event);
    }
}
