package io.leadplatform.common.inbox;

import io.leadplatform.common.events.IncomingEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Idempotent consumption: an event's effect and the record that it was processed commit in one
 * transaction, so a redelivered event (same id) changes nothing.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final ConsumerRetry retry;

    public Inbox(ConsumerRetry retry) {
        this.retry = retry;
    }

    /**
     * Runs {@code handler} in a transaction unless {@code consumer} already processed this event.
     * Answers true when the handler ran.
     */
    public Uni<Boolean> processOnce(String consumer, IncomingEvent event, Function<IncomingEvent, Uni<?>> handler) {
        return Panache.withTransaction(() -> ProcessedEvent.<ProcessedEvent>findById(new ProcessedEvent.Key(consumer, event.id()))
                .chain(seen -> {
                    if (seen != null) {
                        LOG.debugf("%s: event %s already processed, skipped", consumer, event.id());
                        return Uni.createFrom().item(false);
                    }
                    return handler.apply(event)
                            .chain(() -> ProcessedEvent.of(consumer, event.id()).persist())
                            .replaceWith(true);
                }));
    }

    /**
     * Parses a CloudEvent read from Kafka and processes it once. Events of other types are only
     * recorded as seen; a record that is not a CloudEvent is logged and skipped (redelivery cannot
     * fix it). Retries by {@link ConsumerRetry}: while the database is unavailable (down, restarting) the event
     * waits for it; a data error fails at once and any other failure after a few retries, and the failure goes
     * to the channel's failure strategy (dead-letter queue).
     */
    public Uni<Void> consume(String consumer, ObjectMapper mapper, String json, Set<String> types,
                             Function<IncomingEvent, Uni<?>> handler) {
        IncomingEvent event;
        try {
            event = IncomingEvent.parse(mapper, json);
        } catch (IllegalArgumentException e) {
            LOG.warnf("%s: skipped a record that is not a CloudEvent: %s", consumer, e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!types.contains(event.type())) {
            return Uni.createFrom().voidItem();
        }
        return retry.run(consumer, () -> processOnce(consumer, event, handler)).replaceWithVoid();
    }

    /** Whether the consumer has processed the event (for tests and diagnostics). */
    public Uni<Boolean> processed(String consumer, UUID eventId) {
        return Panache.withSession(() -> ProcessedEvent.findById(new ProcessedEvent.Key(consumer, eventId)).map(e -> e != null));
    }
}
