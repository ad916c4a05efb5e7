package io.leadplatform.scoring.messaging;

import io.leadplatform.contracts.EventTypes;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;

/** Consumes nurturing-service's email events (open, click, bounce, unsubscribe) and activities in batches (see {@link EventBatchConsumer}). */
@ApplicationScoped
public class NurturingEventsConsumer {

    static final String CONSUMER = "scoring.nurturing";
    private static final Set<String> TYPES = Set.of(EventTypes.EMAIL_EVENT, EventTypes.LEAD_ACTIVITY);

    private final EventBatchConsumer batches;

    public NurturingEventsConsumer(EventBatchConsumer batches) {
        this.batches = batches;
    }

    @Incoming("nurturing-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return batches.consume(CONSUMER, batch, TYPES);
    }
}
