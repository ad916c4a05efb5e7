package io.leadplatform.kpi.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.inbox.Inbox;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.kpi.service.KpiService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;

/** Counts lead.captured events; idempotent on event id, so a redelivery is never counted twice. */
@ApplicationScoped
public class CaptureEventsConsumer {

    static final String CONSUMER = "kpi.lead-counts";

    private final Inbox inbox;
    private final KpiService kpis;
    private final ObjectMapper mapper;

    public CaptureEventsConsumer(Inbox inbox, KpiService kpis, ObjectMapper mapper) {
        this.inbox = inbox;
        this.kpis = kpis;
        this.mapper = mapper;
    }

    @Incoming("capture-events")
    public Uni<Void> consume(String json) {
        return inbox.consume(CONSUMER, mapper, json, Set.of(EventTypes.LEAD_CAPTURED), kpis::onLeadCaptured);
    }
}
