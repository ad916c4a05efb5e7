package io.leadplatform.nurturing.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.inbox.ConsumerRetry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.function.BiFunction;

/**
 * Idempotent consumption on the reactive client: the event id is claimed in {@code processed_event} (the
 * platform's inbox table) in the same transaction as the event's effect, so a redelivered event changes nothing.
 * Retries by platform-common's {@link ConsumerRetry}: while the database is unreachable the event waits for it;
 * a data error fails at once, other failures after a few retries (then the channel's dead-letter queue).
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final Pool pool;
    private final ObjectMapper mapper;
    private final ConsumerRetry retry;

    public EventConsumer(Pool pool, ObjectMapper mapper, ConsumerRetry retry) {
        this.pool = pool;
        this.mapper = mapper;
        this.retry = retry;
    }

    /** Answers true when the handler ran (the event was new and of one of the types). */
    public Uni<Boolean> consume(String consumer, String json, Set<String> types, BiFunction<SqlConnection, IncomingEvent, Uni<?>> handler) {
        IncomingEvent event;
        try {
            event = IncomingEvent.parse(mapper, json);
        } catch (IllegalArgumentException e) {
            LOG.warnf("%s: skipped a record that is not a CloudEvent: %s", consumer, e.getMessage());
            return Uni.createFrom().item(false);
        }
        if (!types.contains(event.type())) {
            return Uni.createFrom().item(false);
        }
        return retry.run(consumer, () -> pool.withTransaction(c -> c.preparedQuery(
                                "insert into processed_event (consumer, event_id, processed_at) values ($1, $2, now()) on conflict do nothing")
                        .execute(Tuple.of(consumer, event.id()))
                        .chain(claimed -> claimed.rowCount() == 0 ? Uni.createFrom().item(false)
                                : handler.apply(c, event).replaceWith(true))));
    }
}
