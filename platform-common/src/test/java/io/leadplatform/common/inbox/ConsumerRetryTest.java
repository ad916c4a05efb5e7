package io.leadplatform.common.inbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsumerRetryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Same policy, pauses of a millisecond: the tests count attempts, they do not wait for time to pass. */
    private final ConsumerRetry retry = new ConsumerRetry(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(1), Duration.ofMillis(2), 5);

    private static RuntimeException refused() {
        return new CompletionException(new ConnectException("Connection refused"));
    }

    @Test
    void anUnreachableDatabaseIsWaitedForFarBeyondTheRetriesOfOtherFailures() {
        AtomicInteger attempts = new AtomicInteger();
        String result = retry.run("test", () -> Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() <= 60) {
                throw refused();
            }
            return "written";
        })).await().atMost(WAIT);
        assertEquals("written", result);
        assertEquals(61, attempts.get(), "60 failed attempts while the database was down, then the one that worked");
    }

    @Test
    void aDataErrorFailsAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        PgException poison = new PgException("value too long for type character varying(10)", "ERROR", "22001", null);
        UniAssertSubscriber<Object> s = retry.run("test", () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(poison);
        }).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertSame(poison, s.awaitFailure(WAIT).getFailure());
        assertEquals(1, attempts.get());
    }

    @Test
    void otherFailuresAreRetriedAFewTimesThenPassedOn() {
        AtomicInteger attempts = new AtomicInteger();
        UniAssertSubscriber<Object> s = retry.run("test", () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("deadlock"));
        }).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertInstanceOf(IllegalStateException.class, s.awaitFailure(WAIT).getFailure());
        assertEquals(6, attempts.get(), "the first attempt and 5 retries");
    }

    @Test
    void anOutageInTheMiddleOfRetriesIsWaitedOutWithoutUsingThemUp() {
        AtomicInteger attempts = new AtomicInteger();
        String result = retry.run("test", () -> Uni.createFrom().item(() -> {
            int n = attempts.incrementAndGet();
            if (n <= 4) {
                throw new IllegalStateException("serialization failure");
            }
            if (n <= 40) {
                throw refused();
            }
            return "written";
        })).await().atMost(WAIT);
        assertEquals("written", result);
        assertEquals(41, attempts.get());
    }

    @Test
    void shutdownEndsTheWaitAndParksTheWorkInsteadOfFailingIt() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch stopped = new CountDownLatch(1);
        UniAssertSubscriber<Object> s = retry.run("test", () -> Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() == 10) {
                retry.stop();
                stopped.countDown();
            }
            throw refused();
        })).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertTrue(stopped.await(10, TimeUnit.SECONDS));
        Thread.sleep(50); // 25 times the longest pause: a retry, had one been scheduled, would have run
        s.assertNotTerminated();
        assertEquals(10, attempts.get(), "no attempt after the stop, and no failure passed on (the message is neither acked nor nacked)");
    }

    @Test
    void aFailureDuringShutdownIsParkedWhateverItsKind() {
        retry.stop();
        UniAssertSubscriber<Object> s = retry.run("test", () -> Uni.createFrom().failure(new IllegalStateException("pool closed")))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        s.assertNotTerminated();
    }
}
