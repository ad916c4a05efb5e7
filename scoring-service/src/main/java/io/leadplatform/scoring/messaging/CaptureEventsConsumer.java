package io.leadplatform.scoring.messaging;

import io.leadplatform.contracts.EventTypes;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;

/** Consumes capture-service's lead and activity events in batches (see {@link EventBatchConsumer}); one lead's events in key order. */
@ApplicationScoped
public class CaptureEventsConsumer {

    static final String CONSUMER = "scoring.lead-profile";
    private static final Set<String> TYPES = Set.of(EventTypes.LEAD_CAPTURED, EventTypes.LEAD_UPDATED, EventTypes.LEAD_ACTIVITY,
            EventTypes.LEAD_MERGED);

    private final EventBatchConsumer batches;

    public CaptureEventsConsumer(EventBatchConsumer batches) {
        this.batches = batches;
    }

    @Incoming("capture-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return batches.consume(CONSUMER, batch, TYPES);
    }
}
