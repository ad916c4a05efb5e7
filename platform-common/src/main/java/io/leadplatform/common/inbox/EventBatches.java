package io.leadplatform.common.inbox;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Consumes one Kafka poll (a batch, in offset order per partition) as one transaction and acknowledges it only
 * after that transaction committed, so the committed offsets never run ahead of the database: a crash
 * mid-batch redelivers the batch, and the inbox (event id) makes the redelivery a no-op.
 * <p>
 * Each record is read first: an empty answer skips it (not a CloudEvent, or a type without effect), a
 * {@link RuntimeException} means its data cannot be read, and it goes to the channel's failure strategy
 * (dead-letter queue). The events read are processed in one transaction through {@link ConsumerRetry}: while
 * the database is unreachable the batch waits for it (nothing acknowledged, nothing dead-lettered); if the
 * transaction still fails (a data error at once, another failure after its retries), the events are processed
 * one at a time so that only the failing ones go to the failure strategy, and the others are written. The
 * batch is acknowledged only when every event is written or handed to the failure strategy. While the
 * application stops, failing work is parked by {@link ConsumerRetry}: the batch is not acknowledged.
 */
@ApplicationScoped
public class EventBatches {

    private static final Logger LOG = Logger.getLogger(EventBatches.class);

    private final ConsumerRetry retry;

    public EventBatches(ConsumerRetry retry) {
        this.retry = retry;
    }

    public <K, V, E> Uni<Void> consume(String consumer, KafkaRecordBatch<K, V> batch,
                                       Function<KafkaRecord<K, V>, Optional<E>> read, Function<List<E>, Uni<?>> process) {
        return consume(consumer, batch, batch.getRecords(), read, process);
    }

    /** The same for any message holding {@code records} (acknowledging it acknowledges them). */
    public <R extends Message<?>, E> Uni<Void> consume(String consumer, Message<?> batch, List<R> records,
                                                       Function<R, Optional<E>> read, Function<List<E>, Uni<?>> process) {
        List<Read<R, E>> events = new ArrayList<>();
        List<Uni<Void>> rejected = new ArrayList<>();
        for (R record : records) {
            try {
                read.apply(record).ifPresent(e -> events.add(new Read<>(record, e)));
            } catch (RuntimeException e) {
                LOG.warnf("%s: a record cannot be read (%s); to the failure strategy", consumer, e.toString());
                rejected.add(Uni.createFrom().completionStage(() -> record.nack(e)));
            }
        }
        Uni<Void> written = events.isEmpty() ? Uni.createFrom().voidItem()
                : retry.run(consumer, () -> process.apply(events.stream().map(Read::event).toList()))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("%s: batch of %d events failed (%s); processing them one at a time", consumer, events.size(), e.toString());
                    return Multi.createFrom().iterable(events)
                            .onItem().transformToUniAndConcatenate(r -> retry.run(consumer, () -> process.apply(List.of(r.event())))
                                    .replaceWithVoid()
                                    .onFailure().recoverWithUni(error -> {
                                        LOG.warnf("%s: event failed (%s); to the failure strategy", consumer, error.toString());
                                        return Uni.createFrom().completionStage(() -> r.record().nack(error));
                                    }))
                            .collect().last().replaceWithVoid();
                });
        return written
                .chain(() -> rejected.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(rejected).andFailFast().replaceWithVoid())
                .chain(() -> Uni.createFrom().completionStage(batch::ack));
    }

    private record Read<R, E>(R record, E event) {
    }
}
