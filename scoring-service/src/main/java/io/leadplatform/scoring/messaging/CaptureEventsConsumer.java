package io.leadplatform.scoring.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.inbox.Inbox;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.scoring.service.ScoringService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;

/** Consumes capture-service's lead events; idempotent on event id. */
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
        return inbox.consume(CONSUMER, mapper, json, Set.of(EventTypes.LEAD_CAPTURED, EventTypes.LEAD_UPDATED), scoring::onProfile);
    }
}
