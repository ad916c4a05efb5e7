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

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Idempotent batched consumption on the reactive client: one Kafka poll is processed in one transaction through
 * platform-common's {@link EventBatches} (acknowledged only after it committed; while the database is
 * unreachable the batch waits for it; a failing batch is retried one event at a time so that only the failing
 * events go to the channel's dead-letter queue). Within the transaction the events run in poll order (offset
 * order per partition): the event ids are claimed in {@code processed_event} (the platform's inbox table) and
 * an event's handler runs only when its claim is new, so a redelivered event changes nothing.
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

    /**
     * Claims the ids of {@code events} in {@code processed_event} with one statement, then runs the handler of each
     * newly claimed event in list order, all in one transaction (an id twice in the list is handled once); answers
     * true when a handler ran.
     */
    Uni<Boolean> process(String consumer, List<IncomingEvent> events, BiFunction<SqlConnection, IncomingEvent, Uni<?>> handler) {
        UUID[] ids = events.stream().map(IncomingEvent::id).toArray(UUID[]::new);
        return pool.withTransaction(c -> c.preparedQuery("""
                        insert into processed_event (consumer, event_id, processed_at)
                        select $1, id, now() from unnest($2::uuid[]) as id
                        on conflict do nothing returning event_id""")
                .execute(Tuple.of(consumer, ids))
                .chain(rows -> {
                    Set<UUID> claimed = new HashSet<>();
                    rows.forEach(row -> claimed.add(row.getUUID(0)));
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(false);
                    }
                    return Multi.createFrom().iterable(events)
                            .filter(event -> claimed.remove(event.id()))
                            .onItem().transformToUniAndConcatenate(event -> handler.apply(c, event).replaceWith(true))
                            .collect().last().replaceIfNullWith(false);
                }));
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
