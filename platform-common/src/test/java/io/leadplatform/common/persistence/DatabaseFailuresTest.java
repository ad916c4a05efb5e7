package io.leadplatform.common.persistence;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(DatabaseFailures.unavailable(new IllegalStateException("Hibernate Reactive wraps it",
                new io.vertx.core.impl.NoStackTraceThrowable("Connection is not active now"))), "a query on a connection the server closed");
    }

    @Test
    void otherFailuresAreNotAnUnavailableDatabase() {
        assertFalse(DatabaseFailures.unavailable(pg("23505")), "unique violation");
        assertFalse(DatabaseFailures.unavailable(pg("42P01")), "undefined table");
        assertFalse(DatabaseFailures.unavailable(new IllegalStateException("bug")));
        assertFalse(DatabaseFailures.unavailable(new io.vertx.core.impl.NoStackTraceThrowable("Pool closed")), "our own shutdown");
        assertFalse(DatabaseFailures.unavailable(new CompletionException(new IllegalArgumentException("bad data"))));
    }

    @Test
    void failuresAreClassifiedForConsumers() {
        assertEquals(DatabaseFailures.Kind.UNAVAILABLE, DatabaseFailures.classify(new CompletionException(new ConnectException("refused"))));
        assertEquals(DatabaseFailures.Kind.UNAVAILABLE, DatabaseFailures.classify(pg("57P01")));
        assertEquals(DatabaseFailures.Kind.DATA, DatabaseFailures.classify(pg("22001")), "value too long");
        assertEquals(DatabaseFailures.Kind.DATA, DatabaseFailures.classify(new CompletionException(pg("22P02"))), "invalid text representation");
        assertEquals(DatabaseFailures.Kind.DATA, DatabaseFailures.classify(pg("23502")), "not null violation");
        assertEquals(DatabaseFailures.Kind.DATA, DatabaseFailures.classify(pg("23503")), "foreign key violation");
        assertEquals(DatabaseFailures.Kind.DATA, DatabaseFailures.classify(new IllegalArgumentException("bad uuid")));
        assertEquals(DatabaseFailures.Kind.DATA, DatabaseFailures.classify(new IllegalStateException("wrapped",
                new java.time.format.DateTimeParseException("bad", "x", 0))));
        assertEquals(DatabaseFailures.Kind.OTHER, DatabaseFailures.classify(pg("23505")), "a unique violation can be a race a retry resolves");
        assertEquals(DatabaseFailures.Kind.OTHER, DatabaseFailures.classify(pg("40001")), "serialization failure");
        assertEquals(DatabaseFailures.Kind.OTHER, DatabaseFailures.classify(pg("40P01")), "deadlock");
        assertEquals(DatabaseFailures.Kind.OTHER, DatabaseFailures.classify(new io.smallrye.mutiny.TimeoutException()));
        assertEquals(DatabaseFailures.Kind.OTHER, DatabaseFailures.classify(new IllegalStateException("bug")));
    }
}
