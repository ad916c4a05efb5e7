package io.leadplatform.scoring.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.persistence.DatabaseFailures;
import io.leadplatform.scoring.service.BatchScoringService;
import io.leadplatform.scoring.service.LeadEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Consumes one Kafka poll (a batch, in offset order per partition) as one scoring transaction and
 * acknowledges it only after that transaction committed, so the offsets committed never run ahead of the
 * database: a crash mid-batch redelivers the batch, and the inbox (event id) makes the redelivery a no-op.
 * <p>
 * A record that is not a CloudEvent is logged and skipped (redelivery cannot fix it); events of other types
 * are ignored. While the database is unavailable (down, restarting) the batch waits for it
 * ({@link DatabaseFailures#retryWhileUnavailable}): no replica could process it, and the dead-letter queue would
 * lose it for the counts. Any other failing transaction is retried with backoff; if it still fails, the batch's events are
 * processed one at a time so that only the failing ones go to the channel's failure strategy (dead-letter
 * queue), like a record whose data cannot be read.
 */
@ApplicationScoped
public class EventBatchConsumer {

    private static final Logger LOG = Logger.getLogger(EventBatchConsumer.class);

    private final BatchScoringService scoring;
    private final LeadEventReader reader;
    private final ObjectMapper mapper;

    public EventBatchConsumer(BatchScoringService scoring, LeadEventReader reader, ObjectMapper mapper) {
        this.scoring = scoring;
        this.reader = reader;
        this.mapper = mapper;
    }

    private record Read(KafkaRecord<String, String> record, LeadEvent event) {
    }

    public Uni<Void> consume(String consumer, KafkaRecordBatch<String, String> batch, Set<String> types) {
        List<Read> events = new ArrayList<>();
        List<Uni<Void>> rejected = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            IncomingEvent event;
            try {
                event = IncomingEvent.parse(mapper, record.getPayload());
            } catch (IllegalArgumentException e) {
                LOG.warnf("%s: skipped a record that is not a CloudEvent: %s", consumer, e.getMessage());
                continue;
            }
            if (!types.contains(event.type())) {
                continue;
            }
            try {
                events.add(new Read(record, reader.read(event)));
            } catch (RuntimeException e) {
                LOG.warnf("%s: event %s (%s) cannot be read: %s", consumer, event.id(), event.type(), e.toString());
                rejected.add(Uni.createFrom().completionStage(() -> record.nack(e)));
            }
        }
        return retried(consumer, events.stream().map(Read::event).toList())
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("%s: batch of %d events failed (%s); processing them one at a time", consumer, events.size(), e.toString());
                    return Multi.createFrom().iterable(events)
                            .onItem().transformToUniAndConcatenate(r -> retried(consumer, List.of(r.event()))
                                    .onFailure().recoverWithUni(error -> Uni.createFrom().completionStage(() -> r.record().nack(error))
                                            .replaceWith(0)))
                            .collect().last();
                })
                .chain(() -> rejected.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(rejected).andFailFast().replaceWithVoid())
                .chain(() -> Uni.createFrom().completionStage(batch::ack));
    }

    private Uni<Integer> retried(String consumer, List<LeadEvent> events) {
        return DatabaseFailures.retryWhileUnavailable(scoring.process(consumer, events))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5);
    }
}
