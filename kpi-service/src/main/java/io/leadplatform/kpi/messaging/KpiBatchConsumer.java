package io.leadplatform.kpi.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.inbox.EventBatches;
import io.leadplatform.kpi.service.IngestService;
import io.leadplatform.kpi.service.KpiEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * Consumes capture.events, scoring.events and nurturing.events one Kafka poll at a time (platform-common's
 * {@link EventBatches}): the poll's events go to {@link IngestService} as one transaction, and the batch is
 * acknowledged only after it committed (a crash mid-batch redelivers it; the inbox makes the redelivery a
 * no-op). While PostgreSQL is unreachable the batch waits for it, however long it takes. Records that are not
 * CloudEvents are logged and skipped; types without a KPI effect are ignored; an event whose data cannot be
 * read, or whose transaction fails on its own (a data error at once, other failures after a few retries),
 * goes to the channel's failure strategy (dead-letter queue).
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
    private final EventBatches batches;

    public KpiBatchConsumer(IngestService ingest, KpiEventReader reader, ObjectMapper mapper, EventBatches batches) {
        this.ingest = ingest;
        this.reader = reader;
        this.mapper = mapper;
        this.batches = batches;
    }

    @Incoming("capture-events")
    public Uni<Void> capture(KafkaRecordBatch<String, String> batch) {
        return consume(CAPTURE, batch, batch.getRecords());
    }

    @Incoming("scoring-events")
    public Uni<Void> scoring(KafkaRecordBatch<String, String> batch) {
        return consume(SCORING, batch, batch.getRecords());
    }

    @Incoming("nurturing-events")
    public Uni<Void> nurturing(KafkaRecordBatch<String, String> batch) {
        return consume(NURTURING, batch, batch.getRecords());
    }

    /** One poll: {@code batch} is acknowledged once its {@code records} are written (or dead-lettered). */
    public Uni<Void> consume(String consumer, Message<?> batch, List<? extends Message<String>> records) {
        return batches.consume(consumer, batch, records, record -> read(consumer, record.getPayload()),
                (List<KpiEvent> events) -> ingest.process(consumer, events));
    }

    private Optional<KpiEvent> read(String consumer, String json) {
        KpiEventReader.Envelope envelope;
        try {
            envelope = reader.envelope(mapper, json);
        } catch (IllegalArgumentException e) {
            LOG.warnf("%s: skipped a record that is not a CloudEvent: %s", consumer, e.getMessage());
            return Optional.empty();
        }
        try {
            return reader.read(envelope);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("event " + envelope.id() + " (" + envelope.type() + "): " + e, e);
        }
    }
}
