package io.leadplatform.nurturing.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.inbox.EventBatches;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Idempotent batched consumption on the reactive client: one Kafka poll is processed in one transaction through
 * platform-common's {@link EventBatches} (acknowledged only after it committed; while the database is
 * unreachable the batch waits for it; a failing batch is retried one event at a time so that only the failing
 * events go to the channel's dead-letter queue). Within the transaction the events run in poll order (offset
 * order per partition): each event id is claimed in {@code processed_event} (the platform's inbox table) and
 * its handler runs only when the claim is new, so a redelivered event changes nothing.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final Pool pool;
    private final ObjectMapper mapper;
    private final EventBatches batches;

    public EventConsumer(Pool pool, ObjectMapper mapper, EventBatches batches) {
        this.pool = pool;
        this.mapper = mapper;
        this.batches = batches;
    }

    /**
     * Consumes one poll; {@code afterCommit} is called once per committed transaction with whether any handler
     * ran in it (an event was new and of one of the types).
     */
    public Uni<Void> consume(String consumer, KafkaRecordBatch<String, String> batch, Set<String> types,
                             BiFunction<SqlConnection, IncomingEvent, Uni<?>> handler, Consumer<Boolean> afterCommit) {
        return batches.consume(consumer, batch, record -> read(consumer, record.getPayload(), types),
                (List<IncomingEvent> events) -> process(consumer, events, handler).invoke(afterCommit));
    }

    /** Claims and handles {@code events} in list order in one transaction; answers true when a handler ran. */
    Uni<Boolean> process(String consumer, List<IncomingEvent> events, BiFunction<SqlConnection, IncomingEvent, Uni<?>> handler) {
        return pool.withTransaction(c -> Multi.createFrom().iterable(events)
                .onItem().transformToUniAndConcatenate(event -> c.preparedQuery(
                                "insert into processed_event (consumer, event_id, processed_at) values ($1, $2, now()) on conflict do nothing")
                        .execute(Tuple.of(consumer, event.id()))
                        .chain(claimed -> claimed.rowCount() == 0 ? Uni.createFrom().item(false)
                                : handler.apply(c, event).replaceWith(true)))
                .collect().with(Collectors.reducing(false, Boolean::logicalOr)));
    }

    private Optional<IncomingEvent> read(String consumer, String json, Set<String> types) {
        IncomingEvent event;
        try {
            event = IncomingEvent.parse(mapper, json);
        } catch (IllegalArgumentException e) {
            LOG.warnf("%s: skipped a record that is not a CloudEvent: %s", consumer, e.getMessage());
            return Optional.empty();
        }
        return types.contains(event.type()) ? Optional.of(event) : Optional.empty();
    }
}
