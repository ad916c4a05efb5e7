package io.leadplatform.common.inbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.pgclient.PgException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch flow with messages that record their ack and nack, and a store that fails as told. */
class EventBatchesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ConsumerRetry retry = new ConsumerRetry(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(1), Duration.ofMillis(2), 5);
    private final EventBatches batches = new EventBatches(retry);

    private final List<String> acked = new CopyOnWriteArrayList<>();
    private final List<String> nacked = new CopyOnWriteArrayList<>();
    private final List<String> written = new CopyOnWriteArrayList<>();

    private Message<String> record(String payload) {
        return Message.of(payload, () -> {
            acked.add(payload);
            return CompletableFuture.completedFuture(null);
        }, e -> {
            nacked.add(payload);
            return CompletableFuture.completedFuture(null);
        });
    }

    private Message<String> batch() {
        return Message.of("batch", () -> {
            acked.add("batch");
            return CompletableFuture.completedFuture(null);
        }, e -> {
            nacked.add("batch");
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Reads "skip" as nothing, "unreadable" as a record that cannot be read, anything else as itself. */
    private static Optional<String> read(Message<String> m) {
        return switch (m.getPayload()) {
            case "skip" -> Optional.empty();
            case "unreadable" -> throw new IllegalArgumentException("not a lead id");
            default -> Optional.of(m.getPayload());
        };
    }

    private UniAssertSubscriber<Void> consume(List<String> payloads, Function<List<String>, Uni<?>> store) {
        List<Message<String>> records = new ArrayList<>();
        payloads.forEach(p -> records.add(record(p)));
        return batches.consume("test", batch(), records, EventBatchesTest::read, store)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void aBatchIsWrittenInOneTransactionAndAcknowledgedAfterIt() {
        AtomicInteger transactions = new AtomicInteger();
        consume(List.of("a", "skip", "b", "unreadable", "c"), events -> Uni.createFrom().item(() -> {
            transactions.incrementAndGet();
            return written.addAll(events);
        })).awaitItem(WAIT);
        assertEquals(List.of("a", "b", "c"), written);
        assertEquals(1, transactions.get());
        assertEquals(List.of("unreadable"), nacked, "only the unreadable record goes to the failure strategy");
        assertEquals(List.of("batch"), acked);
    }

    @Test
    void whileTheDatabaseIsDownTheBatchWaitsAndIsAcknowledgedOnlyOnceWritten() {
        AtomicInteger attempts = new AtomicInteger();
        consume(List.of("a", "b"), events -> Uni.createFrom().item(() -> {
            assertTrue(acked.isEmpty() && nacked.isEmpty(), "nothing acknowledged or dead-lettered before the write");
            if (attempts.incrementAndGet() <= 50) {
                throw new IllegalStateException("wrapped", new ConnectException("Connection refused"));
            }
            return written.addAll(events);
        })).awaitItem(WAIT);
        assertEquals(51, attempts.get());
        assertEquals(List.of("a", "b"), written);
        assertEquals(List.of(), nacked);
        assertEquals(List.of("batch"), acked);
    }

    @Test
    void aPoisonRecordFailsFastAndAloneGoesToTheFailureStrategy() {
        AtomicInteger attempts = new AtomicInteger();
        consume(List.of("a", "poison", "b"), events -> Uni.createFrom().item(() -> {
            attempts.incrementAndGet();
            if (events.contains("poison")) {
                throw new PgException("invalid input syntax for type uuid", "ERROR", "22P02", null);
            }
            return written.addAll(events);
        })).awaitItem(WAIT);
        assertEquals(4, attempts.get(), "the batch once (no retry of a data error), then each event once");
        assertEquals(List.of("a", "b"), written);
        assertEquals(List.of("poison"), nacked);
        assertEquals(List.of("batch"), acked);
    }

    @Test
    void aBatchThatFailsWhileStoppingIsNeitherAcknowledgedNorDeadLettered() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch stopped = new CountDownLatch(1);
        UniAssertSubscriber<Void> s = consume(List.of("a", "b"), events -> Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() == 3) {
                retry.stop();
                stopped.countDown();
            }
            throw new IllegalStateException("wrapped", new ConnectException("Connection refused"));
        }));
        assertTrue(stopped.await(10, TimeUnit.SECONDS));
        Thread.sleep(50); // 25 times the longest pause: a retry or a fallback, had one been scheduled, would have run
        s.assertNotTerminated();
        assertEquals(3, attempts.get());
        assertEquals(List.of(), acked, "the offsets of the batch are not committed");
        assertEquals(List.of(), nacked);
    }
}
