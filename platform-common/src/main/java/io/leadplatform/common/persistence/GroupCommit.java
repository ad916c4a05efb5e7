package io.leadplatform.common.persistence;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Group commit: callers hand in one item each and get its result once the transaction that wrote it
 * committed; the items that arrive while earlier batches are being written are written together in
 * the next batch (one transaction, multi-row statements). Nothing waits for a timer: with little
 * load every item is written at once (a batch of one), under load batches grow by themselves up to
 * {@code maxBatch}, and at most {@code maxInFlight} batches are written at the same time.
 * <p>
 * The writer answers one result per item, in item order. When a batch fails, each of its items is
 * written again on its own, so one bad item fails only its own caller.
 */
public final class GroupCommit<T, R> {

    private final Function<List<T>, Uni<List<R>>> writer;
    private final int maxBatch;
    private final int maxInFlight;
    private final Queue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public GroupCommit(Function<List<T>, Uni<List<R>>> writer, int maxBatch, int maxInFlight) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
        }
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
    }

    /** Writes the item with the next batch; the result arrives after that batch's commit. */
    public Uni<R> submit(T item) {
        return Uni.createFrom().emitter(emitter -> {
            queue.add(new Pending<>(item, emitter, Vertx.currentContext()));
            drain();
        });
    }

    /** Batches currently being written (for metrics and tests). */
    public int inFlight() {
        return inFlight.get();
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int current = inFlight.get();
            if (current >= maxInFlight) {
                return; // a running batch calls drain() again when it ends
            }
            if (!inFlight.compareAndSet(current, current + 1)) {
                continue;
            }
            List<Pending<T, R>> batch = new ArrayList<>(Math.min(maxBatch, 64));
            Pending<T, R> next;
            while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            write(batch);
        }
    }

    private void write(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T, R> p : batch) {
            items.add(p.item);
        }
        Uni<List<R>> written;
        try {
            written = writer.apply(items);
        } catch (RuntimeException e) {
            written = Uni.createFrom().failure(e);
        }
        written.subscribe().with(results -> {
            finish();
            if (results == null || results.size() != batch.size()) {
                IllegalStateException e = new IllegalStateException("group commit writer answered "
                        + (results == null ? "null" : results.size() + " results") + " for " + batch.size() + " items");
                batch.forEach(p -> p.fail(e));
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(results.get(i));
            }
        }, failure -> {
            finish();
            if (batch.size() == 1) {
                batch.get(0).fail(failure);
                return;
            }
            // isolate the item that broke the batch: every item is written again alone
            for (Pending<T, R> p : batch) {
                Uni<List<R>> alone;
                try {
                    alone = writer.apply(List.of(p.item));
                } catch (RuntimeException e) {
                    alone = Uni.createFrom().failure(e);
                }
                alone.subscribe().with(r -> p.complete(r.get(0)), p::fail);
            }
        });
    }

    private void finish() {
        inFlight.decrementAndGet();
        drain();
    }

    /**
     * One caller's item. Its result is delivered on the caller's own Vert.x context (not on the one
     * the batch was written from), so what the caller does next (a Hibernate Reactive session, say)
     * stays in its own context.
     */
    private record Pending<T, R>(T item, UniEmitter<? super R> emitter, Context context) {

        void complete(R result) {
            deliver(() -> emitter.complete(result));
        }

        void fail(Throwable failure) {
            deliver(() -> emitter.fail(failure));
        }

        private void deliver(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }
}
