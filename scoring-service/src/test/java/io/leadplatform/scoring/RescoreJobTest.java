package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.scoring.messaging.LeadEventReader;
import io.leadplatform.scoring.repository.RescoreJobRepository.Chunk;
import io.leadplatform.scoring.service.BatchScoringService;
import io.leadplatform.scoring.service.RescoreJobs;
import io.leadplatform.scoring.service.RescoreJobs.Outcome;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable rescoring job without this instance's background worker: the tests claim and rescore chunks as named
 * owners (two workers, a dead owner, a restarted replica) and check every lead is rescored once, under the newest model.
 */
@QuarkusTest
@TestProfile(RescoreJobTest.OwnersOnly.class)
class RescoreJobTest {

    /** No background worker (the tests are the workers), small chunks so that a few leads make many. */
    public static class OwnersOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scoring.rescore.worker", "false", "scoring.rescore.chunk-size", "4");
        }
    }

    private static final Duration WAIT = Duration.ofMinutes(2);

    @Inject
    RescoreJobs jobs;
    @Inject
    Pool pool;
    @Inject
    BatchScoringService scoring;
    @Inject
    LeadEventReader reader;
    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "platform.outbox.topic")
    String scoringTopic;

    private Rescoring r;

    @BeforeEach
    void helpers() {
        r = new Rescoring(pool, scoring, reader, mapper);
    }

    @AfterEach
    void defaultModelActiveAgain() {
        if (r.count("select count(*) from scoring_model where id = $1 and not active", UUID.fromString(Rescoring.DEFAULT_MODEL)) == 1) {
            Rescoring.activate(Rescoring.DEFAULT_MODEL);
        }
    }

    private Chunk claim(String owner) {
        return jobs.claim(owner).await().atMost(WAIT).orElseThrow();
    }

    private Outcome process(String owner, Chunk chunk) {
        return jobs.process(owner, chunk).await().atMost(WAIT);
    }

    private int drain(String owner) {
        return jobs.drain(owner).await().atMost(WAIT);
    }

    /** Leads not merged and not scored by the model: none once its job is done. */
    private long notOn(String modelId) {
        return r.count("select count(*) from lead_score where merged_into is null and model_id is distinct from $1", UUID.fromString(modelId));
    }

    /** Every one of the leads emitted exactly one lead.scored under the model label (read back from Kafka). */
    private static void assertScoredOnceEach(KafkaEvents events, List<UUID> leads, String label) {
        Set<String> keys = leads.stream().map(UUID::toString).collect(Collectors.toSet());
        List<ConsumerRecord<String, String>> records = events.collect(rec -> keys.contains(rec.key())
                && rec.value().contains("\"lead.scored\"") && rec.value().contains("\"modelVersion\":\"" + label + "\""), Duration.ofSeconds(5));
        Map<String, Long> scored = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertEquals(keys, scored.keySet(), "every lead emitted lead.scored under " + label + ": " + scored);
        assertTrue(scored.values().stream().allMatch(n -> n == 1), "no lead emitted it twice: " + scored);
    }

    private static String scoreRow(Row row) {
        return row.getUUID("lead_id") + " " + row.getInteger("fit") + " " + row.getString("grade") + " " + row.getValue("engagement")
                + " " + row.getOffsetDateTime("updated_at") + " " + row.getString("engagement_state");
    }

    @Test
    void twoOwnersShareTheChunksAndEveryLeadIsRescoredOnce() throws Throwable {
        List<UUID> leads = r.leads(20);
        String[] x = Rescoring.model(2);
        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            Rescoring.activate(x[0]);
            UUID job = r.job(x[0]);
            Chunk first = claim("owner-a");
            Chunk second = claim("owner-b");
            assertNotEquals(first.chunkNo(), second.chunkNo(), "a claimed chunk is skipped by the next claim");
            assertEquals(Outcome.DONE, process("owner-a", first));
            assertEquals(Outcome.DONE, process("owner-b", second));
            // then both at once until nothing is open
            Uni.combine().all().unis(jobs.drain("owner-a"), jobs.drain("owner-b")).asTuple().await().atMost(WAIT);

            long chunks = r.count("select count(*) from rescore_chunk where job_id = $1", job);
            assertTrue(chunks >= 5, "20 leads in chunks of 4: " + chunks);
            assertEquals(0, r.count("""
                    select count(*) from rescore_chunk where job_id = $1
                    and (state <> 'done' or attempts <> 1 or owner not in ('owner-a', 'owner-b'))""", job), "each chunk done once, by a or b");
            assertTrue(r.count("select count(*) from rescore_chunk where job_id = $1 and owner = 'owner-a'", job) > 0);
            assertTrue(r.count("select count(*) from rescore_chunk where job_id = $1 and owner = 'owner-b'", job) > 0);
            assertEquals(0, notOn(x[0]), "no lead skipped");
            assertEquals(20, r.onModel(leads, x[0], 27), "company given is worth 2 under the new model: 35 - 8");
            long total = r.count("select sum(rescored + skipped) from rescore_chunk where job_id = $1", job);
            Rescoring.status(x[0]).body("state", equalTo("done")).body("total", equalTo((int) total)).body("done", equalTo((int) total))
                    .body("chunks", equalTo((int) chunks)).body("chunksDone", equalTo((int) chunks)).body("chunksClaimed", equalTo(0));

            assertScoredOnceEach(events, leads, x[1]);
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndALiveOneIsNot() throws Throwable {
        List<UUID> leads = r.leads(12);
        String[] x = Rescoring.model(2);
        Rescoring.activate(x[0]);
        UUID job = r.job(x[0]);
        Chunk dead = claim("dead-owner");
        Chunk live = claim("live-owner");
        // the first owner died mid-chunk (its transaction rolled back) and its lease ran out
        r.rows("update rescore_chunk set lease_until = now() - interval '1 minute' where job_id = $1 and chunk_no = $2", job, dead.chunkNo());
        Chunk taken = claim("fresh-owner");
        assertEquals(dead.chunkNo(), taken.chunkNo(), "the chunk with the expired lease is claimed again");
        assertEquals(2, taken.attempts());
        assertNotEquals(live.chunkNo(), taken.chunkNo());

        assertEquals(Outcome.LOST, process("dead-owner", dead), "an owner that comes back after its lease lost the chunk");
        assertEquals(Outcome.DONE, process("fresh-owner", taken));
        drain("fresh-owner");
        Rescoring.status(x[0]).body("state", equalTo("running")).body("chunksClaimed", equalTo(1));
        assertEquals(1, r.count("select count(*) from rescore_chunk where job_id = $1 and state = 'claimed' and owner = 'live-owner'", job),
                "a chunk under a live lease is left to its owner");

        assertEquals(Outcome.DONE, process("live-owner", live));
        drain("fresh-owner");
        Rescoring.status(x[0]).body("state", equalTo("done"));
        assertEquals(0, notOn(x[0]));
        assertEquals(12, r.onModel(leads, x[0], 27));
        assertEquals("fresh-owner", r.rows("select owner from rescore_chunk where job_id = $1 and chunk_no = $2", job, dead.chunkNo())
                .get(0).getString("owner"));
    }

    @Test
    void aRestartResumesWhereTheJobStood() throws Throwable {
        List<UUID> leads = r.leads(16);
        String[] x = Rescoring.model(2);
        Rescoring.activate(x[0]);
        UUID job = r.job(x[0]);
        // a replica that stops on purpose gives its chunk back: open again at once, no lease to wait for
        Chunk givenBack = claim("stopping");
        assertEquals(1, jobs.releaseAll("stopping").await().atMost(WAIT));
        Chunk again = claim("before-restart");
        assertEquals(givenBack.chunkNo(), again.chunkNo());
        // the replica rescored two chunks, then was killed in the middle of a third
        assertEquals(Outcome.DONE, process("before-restart", again));
        assertEquals(Outcome.DONE, process("before-restart", claim("before-restart")));
        Chunk interrupted = claim("before-restart");
        r.rows("update rescore_chunk set lease_until = now() - interval '1 second' where job_id = $1 and chunk_no = $2", job,
                interrupted.chunkNo());
        List<Row> before = r.rows("select chunk_no, finished_at from rescore_chunk where job_id = $1 and state = 'done' order by chunk_no", job);
        assertEquals(2, before.size());

        // the restarted replica is a new owner that only has the database
        int chunks = drain("after-restart");
        long all = r.count("select count(*) from rescore_chunk where job_id = $1", job);
        assertEquals(all - 2, chunks, "the restarted worker rescored every chunk but the two done before");
        List<Row> after = r.rows("""
                select chunk_no, finished_at from rescore_chunk where job_id = $1 and owner = 'before-restart' order by chunk_no""", job);
        assertEquals(before.stream().map(row -> row.getInteger("chunk_no") + "@" + row.getOffsetDateTime("finished_at")).toList(),
                after.stream().map(row -> row.getInteger("chunk_no") + "@" + row.getOffsetDateTime("finished_at")).toList(),
                "chunks done before the restart are not done again");
        assertEquals(2, r.count("select attempts from rescore_chunk where job_id = $1 and chunk_no = $2", job, interrupted.chunkNo()));
        Rescoring.status(x[0]).body("state", equalTo("done"));
        assertEquals(0, notOn(x[0]));
        assertEquals(16, r.onModel(leads, x[0], 27));
    }

    @Test
    void aNewerActivationSupersedesTheRunningJob() throws Throwable {
        List<UUID> leads = r.leads(10);
        String[] x = Rescoring.model(2);
        String[] y = Rescoring.model(4);
        Rescoring.activate(x[0]);
        UUID jobX = r.job(x[0]);
        assertEquals(Outcome.DONE, process("owner-a", claim("owner-a")));
        Chunk inFlight = claim("owner-b");

        Rescoring.activate(y[0]);
        Map<String, Object> status = Rescoring.status(x[0]).body("state", equalTo("superseded")).body("supersededBy", equalTo(y[1]))
                .extract().path("");
        assertTrue(((Number) status.get("done")).longValue() < ((Number) status.get("total")).longValue(),
                "the superseded job stopped part way: " + status);
        assertEquals(0, r.count("select count(*) from rescore_chunk where job_id = $1 and state in ('pending', 'claimed')", jobX),
                "the older job's open chunks are cancelled");
        assertTrue(r.count("select count(*) from rescore_chunk where job_id = $1 and state = 'cancelled'", jobX) > 0);
        assertEquals(Outcome.LOST, process("owner-b", inFlight), "a chunk of the superseded job writes nothing");

        drain("owner-a");
        Rescoring.status(y[0]).body("state", equalTo("done"));
        assertEquals(0, notOn(y[0]), "every lead ends on the newest model");
        assertEquals(10, r.onModel(leads, y[0], 29));
        assertEquals(1, r.count("select count(*) from rescore_job where model_id = $1", UUID.fromString(x[0])));
    }

    @Test
    void rescoringTwiceUnderOneModelChangesNothingAndEmitsNothing() throws Throwable {
        List<UUID> leads = r.leads(6);
        String[] x = Rescoring.model(2);
        try (KafkaEvents events = KafkaEvents.read(scoringTopic)) {
            Rescoring.activate(x[0]);
            UUID job = r.job(x[0]);
            // the consumers score one lead under the new model before its chunk comes: the chunk skips it
            r.scoreActivity(leads.get(0), "download", Instant.now());
            drain("owner-a");
            String sql = "select lead_id, fit, grade, engagement, updated_at, engagement_state from lead_score where lead_id = any($1) order by lead_id";
            List<String> first = r.rows(sql, (Object) leads.toArray(UUID[]::new)).stream().map(RescoreJobTest::scoreRow).toList();
            long skipped = r.count("select sum(skipped) from rescore_chunk where job_id = $1", job);
            assertTrue(skipped >= 1, "the lead the consumers scored under the model is skipped");

            // the whole job once more (as if every chunk's work were repeated)
            r.rows("update rescore_chunk set state = 'pending', owner = null, rescored = 0, skipped = 0 where job_id = $1", job);
            r.rows("update rescore_job set state = 'running', finished_at = null where id = $1", job);
            drain("owner-b");
            assertEquals(0, r.count("select sum(rescored) from rescore_chunk where job_id = $1", job), "nothing rescored the second time");
            assertEquals(first, r.rows(sql, (Object) leads.toArray(UUID[]::new)).stream().map(RescoreJobTest::scoreRow).toList(),
                    "same scores, not even written again");
            Rescoring.status(x[0]).body("state", equalTo("done"));

            assertScoredOnceEach(events, leads, x[1]);
        }
    }
}
