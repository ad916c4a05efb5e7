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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox events to Kafka. Each round locks a batch of pending events (FOR UPDATE SKIP
 * LOCKED, so several instances share the work), sends them, and deletes them once the broker
 * acknowledged them, in one transaction. A failed send rolls back and the events go out on a later
 * round: nothing is lost while Kafka is down. Delivery is at least once; consumers dedupe on the
 * event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Pending events in write order; locked until the round's transaction ends, skipped by other instances meanwhile. */
    private static final String CLAIM = """
            select seq, id, topic, event_key, event_type, payload, traceparent, tracestate from outbox_event
            where published_at is null
            order by seq limit $1 for update skip locked""";
    /** Once Kafka acknowledged them, the events leave the outbox in the same transaction that locked them. */
    private static final String DELETE_PUBLISHED = "delete from outbox_event where seq = any($1)";
    /** Rows an earlier relay kept after publishing them (it marked them instead of deleting them). */
    private static final String PURGE_MARKED = "delete from outbox_event where published_at is not null";
    private static final String RECORD_FAILURE = "update outbox_event set attempts = attempts + 1, last_error = $2 where seq = any($1)";

    private final Pool pool;
    private final KafkaEventSender sender;
    private final OutboxTracing tracing;
    private final OutboxConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final Counter published;
    private final Counter failures;
    private volatile boolean stopped;

    public OutboxRelay(Pool pool, KafkaEventSender sender, OutboxTracing tracing, OutboxConfig config, Vertx vertx,
                       MeterRegistry registry) {
        this.pool = pool;
        this.sender = sender;
        this.tracing = tracing;
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

    /** Deletes what the earlier relay left marked as published; nothing once those are gone. */
    @Scheduled(every = "1h", delayed = "1m")
    Uni<Void> purgeMarked() {
        return pool.query(PURGE_MARKED).execute().replaceWithVoid();
    }

    /**
     * Every relayed event leaves a dead row: the outbox is a queue table with constant churn. Vacuuming
     * it often keeps it and its pending index small even where autovacuum is off or too slow.
     */
    @Scheduled(every = "${platform.outbox.vacuum-every:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> vacuum() {
        return pool.query("vacuum outbox_event").execute().replaceWithVoid()
                .onFailure().recoverWithItem(error -> {
                    LOG.debugf("outbox vacuum skipped: %s", error.toString());
                    return null;
                });
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

    /**
     * One round, one transaction: lock a batch of pending events, send them, delete them once the broker
     * acknowledged all of them. A failed or timed-out send rolls the transaction back (the events stay
     * and go out in a later round) and records the attempt; a crash mid-round leaves them too (at least
     * once: consumers dedupe on the event id). Two writes per event in all: its insert and this delete.
     */
    private Uni<Integer> round() {
        Long[][] claimedSeqs = new Long[1][];
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM).execute(Tuple.of(config.batchSize()))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(0);
                            }
                            List<Row> claimed = new ArrayList<>();
                            rows.forEach(claimed::add);
                            Long[] seqs = new Long[claimed.size()];
                            List<ProducerRecord<String, String>> records = new ArrayList<>(claimed.size());
                            for (int i = 0; i < claimed.size(); i++) {
                                Row row = claimed.get(i);
                                seqs[i] = row.getLong("seq");
                                ProducerRecord<String, String> record = KafkaEventSender.record(row.getString("topic"),
                                        row.getString("event_key"), row.getString("event_type"), row.getString("payload"));
                                // the consumer continues the trace of what wrote the event, not this round's
                                tracing.inject(record.headers(), record.topic(), String.valueOf(row.getUUID("id")),
                                        row.getString("traceparent"), row.getString("tracestate"));
                                records.add(record);
                            }
                            claimedSeqs[0] = seqs;
                            return sender.sendAll(records)
                                    .ifNoItem().after(Duration.ofSeconds(20)).fail()
                                    .chain(() -> conn.preparedQuery(DELETE_PUBLISHED).execute(Tuple.of((Object) seqs)))
                                    .replaceWith(seqs.length);
                        }))
                .invoke(n -> published.increment(n))
                .onFailure().recoverWithUni(error -> {
                    failures.increment();
                    Long[] seqs = claimedSeqs[0];
                    if (seqs == null) {
                        LOG.warnf("outbox relay round failed: %s", error.toString());
                        return Uni.createFrom().item(0);
                    }
                    LOG.warnf("outbox relay: %d events not published yet (%s); will retry", seqs.length, error.toString());
                    return pool.preparedQuery(RECORD_FAILURE).execute(Tuple.of(seqs, String.valueOf(error.getMessage())))
                            .onFailure().recoverWithNull()
                            .replaceWith(0);
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }
}
