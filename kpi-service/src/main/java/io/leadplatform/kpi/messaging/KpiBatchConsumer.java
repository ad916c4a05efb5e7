package io.leadplatform.kpi.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.kpi.service.IngestService;
import io.leadplatform.kpi.service.KpiEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Consumes capture.events, scoring.events and nurturing.events one Kafka poll at a time: the poll's events
 * go to {@link IngestService} as one transaction, and the batch is acknowledged only after it committed (a
 * crash mid-batch redelivers it; the inbox makes the redelivery a no-op). Records that are not CloudEvents
 * are logged and skipped; types without a KPI effect are ignored. A failing transaction is retried with
 * backoff, then the batch is processed one event at a time so only the failing events go to the channel's
 * failure strategy (dead-letter queue).
 */
@ApplicationScoped
public class KpiBatchConsumer {

    private static final Logger LOG = Logger.getLogger(KpiBatchConsumer.class);
    public static final String CAPTURE = "kpi.capture";
    public static final String SCORING = "kpi.scoring";
    public static final String NURTURING = "kpi.nurturing";

    private final IngestService ingest;
    private final KpiEventReader reader;
    private final ObjectMapper mapper;

    public KpiBatchConsumer(IngestService ingest, KpiEventReader reader, ObjectMapper mapper) {
        this.ingest = ingest;
        this.reader = reader;
        this.mapper = mapper;
    }

    @Incoming("capture-events")
    public Uni<Void> capture(KafkaRecordBatch<String, String> batch) {
        return consume(CAPTURE, batch);
    }

    @Incoming("scoring-events")
    public Uni<Void> scoring(KafkaRecordBatch<String, String> batch) {
        return consume(SCORING, batch);
    }

    @Incoming("nurturing-events")
    public Uni<Void> nurturing(KafkaRecordBatch<String, String> batch) {
        return consume(NURTURING, batch);
    }

    private record Read(KafkaRecord<String, String> record, KpiEvent event) {
    }

    Uni<Void> consume(String consumer, KafkaRecordBatch<String, String> batch) {
        List<Read> events = new ArrayList<>();
        List<Uni<Void>> rejected = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            KpiEventReader.Envelope envelope;
            try {
                envelope = reader.envelope(mapper, record.getPayload());
            } catch (IllegalArgumentException e) {
                LOG.warnf("%s: skipped a record that is not a CloudEvent: %s", consumer, e.getMessage());
                continue;
            }
            try {
                Optional<KpiEvent> event = reader.read(envelope);
                event.ifPresent(e -> events.add(new Read(record, e)));
            } catch (RuntimeException e) {
                LOG.warnf("%s: event %s (%s) cannot be read: %s", consumer, envelope.id(), envelope.type(), e.toString());
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

    private Uni<Integer> retried(String consumer, List<KpiEvent> events) {
        return ingest.process(consumer, events)
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5);
    }
}
