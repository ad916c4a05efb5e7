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

/** Consumes capture-service's lead and activity events; idempotent on event id; one lead's events in key order. */
@ApplicationScoped
public class CaptureEventsConsumer {

    static final String CONSUMER = "scoring.lead-profile";

    private final Inbox inbox;
    private final ScoringService scoring;
    private final ObjectMapper mapper;

    public CaptureEventsConsumer(Inbox inbox, ScoringService scoring, ObjectMapper mapper) {
        this.inbox = inbox;
        this.scoring = scoring;
        this.mapper = mapper;
    }

    @Incoming("capture-events")
    public Uni<Void> consume(String json) {
        return inbox.consume(CONSUMER, mapper, json,
                Set.of(EventTypes.LEAD_CAPTURED, EventTypes.LEAD_UPDATED, EventTypes.LEAD_ACTIVITY), this::handle);
    }

    private Uni<Void> handle(IncomingEvent event) {
        return EventTypes.LEAD_ACTIVITY.equals(event.type()) ? scoring.onActivity(event) : scoring.onProfile(event);
    }
}
