package io.leadplatform.nurturing.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.inbox.Inbox;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.nurturing.service.ContactService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;

/** Keeps contacts in step with capture-service; idempotent on event id. */
@ApplicationScoped
public class CaptureEventsConsumer {

    static final String CONSUMER = "nurturing.contacts";

    private final Inbox inbox;
    private final ContactService contacts;
    private final ObjectMapper mapper;

    public CaptureEventsConsumer(Inbox inbox, ContactService contacts, ObjectMapper mapper) {
        this.inbox = inbox;
        this.contacts = contacts;
        this.mapper = mapper;
    }

    @Incoming("capture-events")
    public Uni<Void> consume(String json) {
        return inbox.consume(CONSUMER, mapper, json,
                Set.of(EventTypes.LEAD_CAPTURED, EventTypes.LEAD_UPDATED, EventTypes.LEAD_ERASED),
                event -> EventTypes.LEAD_ERASED.equals(event.type()) ? contacts.onErased(event) : contacts.onProfile(event));
    }
}
