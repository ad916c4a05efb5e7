package io.leadplatform.common.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox events to Kafka. Each round claims a batch of pending events (FOR UPDATE SKIP
 * LOCKED, so several instances share the work), sends them, and marks them published once the
 * broker acknowledged them. A failed send releases the claim and the events go out on a later
 * round: nothing is lost while Kafka is down. Delivery is at least once; consumers dedupe on the
 * event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private static final String CLAIM = """
            update outbox_event set claimed_until = now() + make_interval(secs => $1), attempts = attempts + 1
            where seq in (select seq from outbox_event
                          where published_at is null and (claimed_until is null or claimed_until < now())
                          order by seq limit $2 for update skip locked)
            returning seq, id, topic, event_key, event_type, payload""";
    private static final String MARK_PUBLISHED = "update outbox_event set published_at = now(), claimed_until = null, last_error = null where id = any($1)";
    private static final String RELEASE = "update outbox_event set claimed_until = null, last_error = $2 where id = any($1)";
    private static final String PURGE = "delete from outbox_event where published_at < now() - make_interval(secs => $1)";

    private final Pool pool;
    private final KafkaEventSender sender;
    private final OutboxConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final Counter published;
    private final Counter failures;
    private volatile boolean stopped;

    public OutboxRelay(Pool pool, KafkaEventSender sender, OutboxConfig config, Vertx vertx, MeterRegistry registry) {
        this.pool = pool;
        this.sender = sender;
        this.config = config;
        this.vertx = vertx;
        this.published = registry.counter("outbox.events.published");
        this.failures = registry.counter("outbox.relay.failures");
    }

    /** Called after an event was added: run a round shortly (after the writer's commit), not only on the next poll. */
    void wakeUpSoon() {
        if (wakeScheduled.compareAndSet(false, true)) {
            vertx.setTimer(5, id -> {
                wakeScheduled.set(false);
                relayNow().subscribe().with(n -> { }, e -> { });
            });
        }
    }

    @Scheduled(every = "${platform.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return relayNow().replaceWithVoid();
    }

    @Scheduled(every = "1h", delayed = "1m")
    Uni<Void> purge() {
        return pool.preparedQuery(PURGE).execute(Tuple.of(config.retention().toSeconds())).replaceWithVoid();
    }

    /** Runs rounds until the outbox is drained; answers how many events went out. Only one runs at a time per instance. */
    public Uni<Integer> relayNow() {
        if (stopped || !running.compareAndSet(false, true)) {
            return Uni.createFrom().item(0);
        }
        return drain(0).onTermination().invoke(() -> running.set(false));
    }

    private Uni<Integer> drain(int soFar) {
        return round().chain(n -> n >= config.batchSize() && !stopped ? drain(soFar + n) : Uni.createFrom().item(soFar + n));
    }

    private Uni<Integer> round() {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(config.claimTimeout().toSeconds(), config.batchSize()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Row> claimed = new ArrayList<>();
                    rows.forEach(claimed::add);
                    claimed.sort((a, b) -> Long.compare(a.getLong("seq"), b.getLong("seq")));
                    List<ProducerRecord<String, String>> records = new ArrayList<>(claimed.size());
                    UUID[] ids = new UUID[claimed.size()];
                    for (int i = 0; i < claimed.size(); i++) {
                        Row row = claimed.get(i);
                        ids[i] = row.getUUID("id");
                        records.add(KafkaEventSender.record(row.getString("topic"), row.getString("event_key"),
                                row.getString("event_type"), row.getString("payload")));
                    }
                    return sender.sendAll(records)
                            .ifNoItem().after(Duration.ofSeconds(20)).fail()
                            .chain(() -> pool.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(ids)))
                            .invoke(() -> published.increment(ids.length))
                            .replaceWith(ids.length)
                            .onFailure().recoverWithUni(error -> {
                                failures.increment();
                                LOG.warnf("outbox relay: %d events not published yet (%s); will retry", ids.length, error.toString());
                                return pool.preparedQuery(RELEASE).execute(Tuple.of(ids, String.valueOf(error.getMessage())))
                                        .onFailure().recoverWithNull()
                                        .replaceWith(0);
                            });
                })
                .onFailure().recoverWithItem(error -> {
                    LOG.warnf("outbox relay round failed: %s", error.toString());
                    return 0;
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }
}
