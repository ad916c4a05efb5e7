package io.leadplatform.common.persistence;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.net.ConnectException;
import java.net.SocketException;
import java.time.DateTimeException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Tells a database that is not reachable (down, restarting, shutting down, out of connections) from every
 * other failure. Such a failure says nothing about the request or the event: an HTTP caller gets a 503
 * problem (retry later) and a consumer waits for the database instead of dead-lettering the event
 * ({@link io.leadplatform.common.inbox.ConsumerRetry}).
 * The failure may come wrapped (Hibernate Reactive, CompletionException): the whole cause chain is checked.
 */
public final class DatabaseFailures {

    /**
     * SQLSTATEs of an unavailable server: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now
     * (starting up or shutting down), 53300 too many connections; every 08xxx (connection exception).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** Netty's epoll transport reports a reset connection with this IOException (NIO: SocketException). */
    private static final String NATIVE_IO_EXCEPTION = "io.netty.channel.unix.Errors$NativeIoException";

    /** What the Vert.x SQL client answers for a query on a connection that the server has closed meanwhile. */
    private static final String CONNECTION_NOT_ACTIVE = "Connection is not active now";

    private DatabaseFailures() {
    }

    /** What a consumer should do about a failure (see {@link #classify}). */
    public enum Kind {
        /** The database cannot be reached: wait for it, however long it takes (only shutdown ends the wait). */
        UNAVAILABLE,
        /** The data cannot be stored as it is (a poison record): trying again cannot help, fail at once. */
        DATA,
        /** Anything else (a lost race, a deadlock, a timeout, a bug): retry a few times, then give up. */
        OTHER
    }

    /**
     * Classifies a failure (anywhere in its cause chain): {@link Kind#UNAVAILABLE} as {@link #unavailable};
     * {@link Kind#DATA} for SQLSTATE class 22 (data exception: bad value, overflow, invalid text) and class 23
     * (integrity) except 23505 (a unique violation can be a race with another replica that a retry resolves),
     * and for a value that could not be read ({@link IllegalArgumentException}, {@link DateTimeException},
     * Jackson's {@code JsonProcessingException}); {@link Kind#OTHER} for the rest.
     */
    public static Kind classify(Throwable failure) {
        if (unavailable(failure)) {
            return Kind.UNAVAILABLE;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseException db && db.getSqlState() != null) {
                String state = db.getSqlState();
                return state.startsWith("22") || (state.startsWith("23") && !"23505".equals(state)) ? Kind.DATA : Kind.OTHER;
            }
            if (t instanceof IllegalArgumentException || t instanceof DateTimeException || t instanceof JsonProcessingException) {
                return Kind.DATA;
            }
        }
        return Kind.OTHER;
    }

    /** Whether {@code failure} (or one of its causes) means the database cannot be reached right now. */
    public static boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException || t instanceof ClosedConnectionException
                    || t instanceof SocketException || NATIVE_IO_EXCEPTION.equals(t.getClass().getName())) {
                return true; // refused, closed or reset (the server went away mid-query)
            }
            if (t instanceof DatabaseException db && db.getSqlState() != null
                    && (db.getSqlState().startsWith("08") || UNAVAILABLE_STATES.contains(db.getSqlState()))) {
                return true;
            }
            if (t instanceof NoStackTraceThrowable && CONNECTION_NOT_ACTIVE.equals(t.getMessage())) {
                return true; // the Vert.x SQL client's answer on a connection the server closed (Hibernate Reactive wraps it)
            }
        }
        return false;
    }
}
