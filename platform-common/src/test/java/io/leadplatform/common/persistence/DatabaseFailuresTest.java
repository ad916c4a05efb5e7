package io.leadplatform.common.persistence;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseFailuresTest {

    private static PgException pg(String sqlState) {
        return new PgException("message", "FATAL", sqlState, null);
    }

    @Test
    void aDatabaseThatCannotBeReachedIsUnavailableEvenWhenTheFailureIsWrapped() {
        assertTrue(DatabaseFailures.unavailable(new ConnectException("Connection refused")));
        assertTrue(DatabaseFailures.unavailable(new CompletionException(new IllegalStateException("wrapped", new ConnectException("refused")))));
        assertTrue(DatabaseFailures.unavailable(ClosedConnectionException.INSTANCE));
        assertTrue(DatabaseFailures.unavailable(new java.net.SocketException("Connection reset")), "reset by the server (NIO)");
        io.netty.channel.epoll.Epoll.ensureAvailability(); // Netty's native errors need its native library
        assertTrue(DatabaseFailures.unavailable(new CompletionException(
                io.netty.channel.unix.Errors.newConnectionResetException("recvAddress(..)", -104))), "reset by the server (epoll)");
        assertTrue(DatabaseFailures.unavailable(pg("57P01")), "terminating connection due to administrator command");
        assertTrue(DatabaseFailures.unavailable(pg("57P03")), "the database system is starting up");
        assertTrue(DatabaseFailures.unavailable(pg("08006")), "connection failure");
        assertTrue(DatabaseFailures.unavailable(pg("53300")), "too many connections");
    }

    @Test
    void otherFailuresAreNotAnUnavailableDatabase() {
        assertFalse(DatabaseFailures.unavailable(pg("23505")), "unique violation");
        assertFalse(DatabaseFailures.unavailable(pg("42P01")), "undefined table");
        assertFalse(DatabaseFailures.unavailable(new IllegalStateException("bug")));
        assertFalse(DatabaseFailures.unavailable(new CompletionException(new IllegalArgumentException("bad data"))));
    }

    @Test
    void workIsRetriedUntilTheDatabaseIsBack() {
        AtomicInteger attempts = new AtomicInteger();
        String result = DatabaseFailures.retryWhileUnavailable(io.smallrye.mutiny.Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() <= 3) {
                throw new CompletionException(new ConnectException("Connection refused"));
            }
            return "done";
        })).await().atMost(Duration.ofSeconds(10));
        assertEquals("done", result);
        assertEquals(4, attempts.get());
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseFailures.retryWhileUnavailable(io.smallrye.mutiny.Uni.createFrom().item(() -> {
                    attempts.incrementAndGet();
                    throw new IllegalArgumentException("bad data");
                })).await().atMost(Duration.ofSeconds(10)));
        assertEquals("bad data", e.getMessage());
        assertEquals(1, attempts.get());
    }
}
