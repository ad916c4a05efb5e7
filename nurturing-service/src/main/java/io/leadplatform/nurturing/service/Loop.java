package io.leadplatform.nurturing.service;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs rounds of work one after the other while each round finds a full batch; at most one pass runs at a time.
 * Started by the scheduler's tick and woken early when new work was committed.
 */
final class Loop {

    private static final Logger LOG = Logger.getLogger(Loop.class);

    private final String name;
    private final Supplier<Uni<Integer>> round;
    private final int full;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    Loop(String name, Supplier<Uni<Integer>> round, int full) {
        this.name = name;
        this.round = round;
        this.full = full;
    }

    /** Starts a pass unless one runs (then that pass makes one more round). */
    void wakeUp() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            pass();
        }
    }

    private void pass() {
        again.set(false);
        round.get().subscribe().with(n -> {
            if (n >= full || again.get()) {
                pass();
            } else {
                finish();
            }
        }, failure -> {
            LOG.warnf("%s: round failed: %s", name, failure.toString());
            finish();
        });
    }

    private void finish() {
        running.set(false);
        // work committed between the last round and now would otherwise wait for the next tick
        if (again.get() && running.compareAndSet(false, true)) {
            pass();
        }
    }
}
