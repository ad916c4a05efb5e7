package io.leadplatform.common.persistence;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {

    /** A writer whose batches complete only when the test says so. */
    static final class ManualWriter {
        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<List<String>>> pending = new CopyOnWriteArrayList<>();

        Uni<List<String>> write(List<Integer> items) {
            batches.add(List.copyOf(items));
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            pending.add(done);
            return Uni.createFrom().completionStage(done);
        }

        void completeAll() {
            for (int i = 0; i < pending.size(); i++) {
                List<Integer> batch = batches.get(i);
                List<String> results = new ArrayList<>();
                batch.forEach(n -> results.add("r" + n));
                pending.get(i).complete(results);
            }
        }
    }

    @Test
    void aLoneItemIsWrittenAtOnceAndItemsArrivingMeanwhileShareTheNextBatch() {
        ManualWriter writer = new ManualWriter();
        GroupCommit<Integer, String> commit = new GroupCommit<>(writer::write, 100, 1);

        List<CompletableFuture<String>> answers = new ArrayList<>();
        answers.add(commit.submit(0).subscribeAsCompletionStage());
        assertEquals(List.of(List.of(0)), writer.batches, "nothing waits for a timer");
        for (int i = 1; i <= 5; i++) {
            answers.add(commit.submit(i).subscribeAsCompletionStage());
        }
        assertEquals(1, writer.batches.size(), "one batch in flight at most");
        assertEquals(1, commit.inFlight());

        writer.pending.get(0).complete(List.of("r0"));
        assertEquals(List.of(1, 2, 3, 4, 5), writer.batches.get(1), "the waiting items form the next batch");
        writer.pending.get(1).complete(List.of("r1", "r2", "r3", "r4", "r5"));
        for (int i = 0; i <= 5; i++) {
            assertEquals("r" + i, answers.get(i).join(), "each caller gets its own result");
        }
        assertEquals(0, commit.inFlight());
    }

    @Test
    void batchesNeverExceedTheMaximumAndSeveralRunAtOnce() {
        ManualWriter writer = new ManualWriter();
        GroupCommit<Integer, String> commit = new GroupCommit<>(writer::write, 3, 2);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(commit.submit(i).subscribeAsCompletionStage());
        }
        // two batches of one started at once, the other eight wait
        assertEquals(2, writer.batches.size());
        while (answers.stream().anyMatch(a -> !a.isDone())) {
            writer.completeAll();
        }
        writer.batches.forEach(b -> assertTrue(b.size() <= 3, "batch " + b + " is too large"));
        assertEquals(10, writer.batches.stream().mapToInt(List::size).sum(), "every item written exactly once");
        for (int i = 0; i < 10; i++) {
            assertEquals("r" + i, answers.get(i).join());
        }
    }

    @Test
    void aFailedBatchIsRetriedItemByItemSoOnlyTheBadItemFails() {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        CompletableFuture<List<String>> first = new CompletableFuture<>();
        GroupCommit<Integer, String> commit = new GroupCommit<>(items -> {
            batches.add(List.copyOf(items));
            if (batches.size() == 1) {
                return Uni.createFrom().completionStage(first); // holds the others back so they batch up
            }
            if (items.contains(13)) {
                return Uni.createFrom().failure(new IllegalArgumentException("bad item 13"));
            }
            return Uni.createFrom().item(items.stream().map(n -> "r" + n).toList());
        }, 100, 1);

        CompletableFuture<String> zero = commit.submit(0).subscribeAsCompletionStage();
        CompletableFuture<String> a = commit.submit(12).subscribeAsCompletionStage();
        CompletableFuture<String> bad = commit.submit(13).subscribeAsCompletionStage();
        CompletableFuture<String> b = commit.submit(14).subscribeAsCompletionStage();
        first.complete(List.of("r0"));

        assertEquals("r0", zero.join());
        assertEquals("r12", a.join());
        assertEquals("r14", b.join());
        Exception e = assertThrows(Exception.class, () -> bad.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalArgumentException, "the bad item's own error: " + e);
        assertEquals(List.of(List.of(0), List.of(12, 13, 14), List.of(12), List.of(13), List.of(14)), batches);
    }

    @Test
    void aWriterThatAnswersTheWrongNumberOfResultsFailsTheBatch() {
        GroupCommit<Integer, String> commit = new GroupCommit<>(items -> Uni.createFrom().item(List.of()), 10, 1);
        Uni<String> answer = commit.submit(1);
        assertThrows(IllegalStateException.class, () -> answer.await().atMost(Duration.ofSeconds(5)));
    }
}
