package io.leadplatform.common.persistence;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Tells a database that is not reachable (down, restarting, shutting down, out of connections) from every
 * other failure. Such a failure says nothing about the request or the event: an HTTP caller gets a 503
 * problem (retry later) and a consumer waits for the database instead of dead-lettering the event.
 * The failure may come wrapped (Hibernate Reactive, CompletionException): the whole cause chain is checked.
 */
public final class DatabaseFailures {

    /**
     * SQLSTATEs of an unavailable server: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now
     * (starting up or shutting down), 53300 too many connections; every 08xxx (connection exception).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** First and longest pause between two attempts while the database is unavailable. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(DatabaseFailures.class);

    /** Netty's epoll transport reports a reset connection with this IOException (NIO: SocketException). */
    private static final String NATIVE_IO_EXCEPTION = "io.netty.channel.unix.Errors$NativeIoException";

    private DatabaseFailures() {
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
        }
        return false;
    }

    /**
     * Retries {@code work} for as long as it fails because the database is unavailable, with exponential
     * backoff up to {@link #MAX_BACKOFF}; other failures pass through at once. For consumers: an event cannot be
     * processed by any replica until the database is back, so it must wait instead of going to the dead-letter
     * queue (where it would be missing from every count).
     */
    public static <T> Uni<T> retryWhileUnavailable(Uni<T> work) {
        return work.onFailure(DatabaseFailures::unavailable)
                .invoke(e -> LOG.warnf("database unavailable (%s); retrying", e.toString()))
                .onFailure(DatabaseFailures::unavailable).retry()
                .withBackOff(FIRST_BACKOFF, MAX_BACKOFF).indefinitely();
    }
}
