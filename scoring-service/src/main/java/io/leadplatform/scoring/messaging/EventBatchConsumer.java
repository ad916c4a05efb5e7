package io.leadplatform.scoring.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.inbox.EventBatches;
import io.leadplatform.scoring.service.BatchScoringService;
import io.leadplatform.scoring.service.LeadEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Consumes one Kafka poll (a batch, in offset order per partition) as one scoring transaction through
 * platform-common's {@link EventBatches}: acknowledged only after that transaction committed, so the offsets
 * committed never run ahead of the database (a crash mid-batch redelivers the batch, and the inbox makes the
 * redelivery a no-op); while the database is unavailable (down, restarting) the batch waits for it, however
 * long it takes.
 * <p>
 * A record that is not a CloudEvent is logged and skipped (redelivery cannot fix it); events of other types
 * are ignored. An event whose data cannot be read, or whose transaction fails on its own (a data error at once,
 * other failures after a few retries), goes to the channel's failure strategy (dead-letter queue).
 */
@ApplicationScoped
public class EventBatchConsumer {

    private static final Logger LOG = Logger.getLogger(EventBatchConsumer.class);

    private final BatchScoringService scoring;
    private final LeadEventReader reader;
    private final ObjectMapper mapper;
    private final EventBatches batches;

    public EventBatchConsumer(BatchScoringService scoring, LeadEventReader reader, ObjectMapper mapper, EventBatches batches) {
        this.scoring = scoring;
        this.reader = reader;
        this.mapper = mapper;
        this.batches = batches;
    }

    public Uni<Void> consume(String consumer, KafkaRecordBatch<String, String> batch, Set<String> types) {
        return consume(consumer, batch, batch.getRecords(), types);
    }

    /** One poll: {@code batch} is acknowledged once its {@code records} are written (or dead-lettered). */
    public Uni<Void> consume(String consumer, Message<?> batch, List<? extends Message<String>> records, Set<String> types) {
        return batches.consume(consumer, batch, records, record -> read(consumer, record.getPayload(), types),
                (List<LeadEvent> events) -> scoring.process(consumer, events));
    }

    private Optional<LeadEvent> read(String consumer, String json, Set<String> types) {
        IncomingEvent event;
        try {
            event = IncomingEvent.parse(mapper, json);
        } catch (IllegalArgumentException e) {
            LOG.warnf("%s: skipped a record that is not a CloudEvent: %s", consumer, e.getMessage());
            return Optional.empty();
        }
        if (!types.contains(event.type())) {
            return Optional.empty();
        }
        try {
            return Optional.of(reader.read(event));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("event " + event.id() + " (" + event.type() + "): " + e, e);
        }
    }
}
