package io.leadplatform.common.inbox;

import io.leadplatform.common.persistence.DatabaseFailures;
import io.leadplatform.common.persistence.DatabaseFailures.Kind;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * How every consumer retries the work of an event or a batch (one transaction), by the kind of failure
 * ({@link DatabaseFailures#classify}):
 * <ul>
 * <li>database unreachable (down, restarting, out of connections): the work waits for it with backoff
 * ({@value #WAIT_FIRST_MS} ms doubling up to {@value #WAIT_MAX_MS} ms) for as long as it takes. No replica could
 * process the event meanwhile, and the dead-letter queue would take it out of every count;</li>
 * <li>a data error (a poison record): no retry, the failure goes on at once (a batch falls back to one event
 * at a time, so only the poison record reaches the channel's failure strategy);</li>
 * <li>anything else: {@value #RETRIES} retries with backoff (100 ms up to 2 s), then the failure goes on.</li>
 * </ul>
 * Only shutdown ends the wait: once the application stops, a failing work is <em>parked</em>: its Uni never
 * completes, so the message is neither acknowledged nor sent to the failure strategy; its offset is not
 * committed and the next owner of the partition gets it again (the inbox makes that redelivery harmless).
 */
@ApplicationScoped
public class ConsumerRetry {

    static final long WAIT_FIRST_MS = 200;
    static final long WAIT_MAX_MS = 5_000;
    static final int RETRIES = 5;

    private static final Logger LOG = Logger.getLogger(ConsumerRetry.class);

    private final Duration waitFirst;
    private final Duration waitMax;
    private final Duration retryFirst;
    private final Duration retryMax;
    private final int retries;
    private volatile boolean stopping;

    @Inject
    public ConsumerRetry() {
        this(Duration.ofMillis(WAIT_FIRST_MS), Duration.ofMillis(WAIT_MAX_MS), Duration.ofMillis(100), Duration.ofSeconds(2), RETRIES);
    }

    /** With other pauses (tests). */
    public ConsumerRetry(Duration waitFirst, Duration waitMax, Duration retryFirst, Duration retryMax, int retries) {
        this.waitFirst = waitFirst;
        this.waitMax = waitMax;
        this.retryFirst = retryFirst;
        this.retryMax = retryMax;
        this.retries = retries;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    /** From now on, failing work is parked instead of retried or passed on (the application is stopping). */
    public void stop() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }

    /**
     * Runs {@code work} (a new Uni for every attempt) with the retries above; answers its item, or the failure
     * of a data error or of an exhausted retry. {@code what} names the work in the log.
     */
    public <T> Uni<T> run(String what, Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().deferred(work)
                .onFailure(this::waitsFor).invoke(e -> LOG.warnf("%s: database unavailable (%s); waiting for it", what, e.toString()))
                .onFailure(this::waitsFor).retry().withBackOff(waitFirst, waitMax).indefinitely()
                .onFailure(this::retries).retry().withBackOff(retryFirst, retryMax).atMost(retries)
                .onFailure(e -> stopping).recoverWithUni(e -> {
                    LOG.infof("%s: stopping (%s); left unacknowledged, the partition's next owner processes it again", what, e.toString());
                    return Uni.createFrom().nothing();
                });
    }

    private boolean waitsFor(Throwable failure) {
        return !stopping && DatabaseFailures.classify(failure) == Kind.UNAVAILABLE;
    }

    private boolean retries(Throwable failure) {
        return !stopping && DatabaseFailures.classify(failure) == Kind.OTHER;
    }
}
