package io.leadplatform.capture.service;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An import job whose instance stopped (restart, crash) is resumed by an instance holding its file, after the
 * rows it had committed: no row twice, none skipped. A job whose owner is alive is left alone.
 */
@QuarkusTest
class ImportResumeTest {

    private static final String MAPPING = "{\"columns\":{\"email\":\"E-Mail\",\"company\":\"Company\"}}";
    private static final int ROWS = 1_200;
    private static final int COMMITTED = 500;

    @Inject
    ImportRunner runner;

    @Inject
    Pool pool;

    private Path file(UUID jobId, String tag) throws IOException {
        Path file = runner.workFile(jobId);
        Files.createDirectories(file.getParent());
        StringBuilder csv = new StringBuilder("E-Mail,Company\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append("r").append(i).append('-').append(tag).append("@resume.example.com,Resume Co\n");
        }
        Files.writeString(file, csv);
        return file;
    }

    /** The state an instance leaves when it stops after its first batch: rows 1..500 committed, the job running. */
    private void stoppedAfterFirstBatch(UUID jobId, String tag, String owner, int heartbeatAgeSeconds) {
        pool.preparedQuery("""
                insert into import_job (id, list_name, channel, file_name, mapping, state, rows_total, rows_read, accepted,
                                        duplicates, errors, created_at, started_at, owner, heartbeat_at)
                values ($1, $2, 'resume-test', 'list.csv', $3, 'running', $4, $5, $5, 0, 0, now(), now(), $6, now() - $7 * interval '1 second')""")
                .execute(Tuple.from(new Object[]{jobId, "resume-" + tag, MAPPING, ROWS, COMMITTED, owner, heartbeatAgeSeconds}))
                .await().indefinitely();
        pool.preparedQuery("""
                insert into lead (id, email, source, source_ref, channel, created_at, updated_at)
                select gen_random_uuid(), 'r' || i || '-' || $1 || '@resume.example.com', 'import', $2, 'resume-test', now(), now()
                from generate_series(1, $3) i""")
                .execute(Tuple.of(tag, "resume-" + tag, COMMITTED)).await().indefinitely();
    }

    private Row job(UUID jobId) {
        return pool.preparedQuery("select state, rows_read, accepted, duplicates, errors, owner from import_job where id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next();
    }

    private long leads(String tag) {
        return pool.preparedQuery("select count(*) from lead where email like $1")
                .execute(Tuple.of("%-" + tag + "@resume.example.com")).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aJobWhoseInstanceStoppedResumesAfterItsCommittedRows() throws IOException {
        UUID jobId = UUID.randomUUID();
        String tag = jobId.toString().substring(0, 8);
        Path file = file(jobId, tag);
        stoppedAfterFirstBatch(jobId, tag, "stopped-instance", 600);

        runner.resumeOrphans(); // the scheduled round may have claimed it first: either way this instance runs it

        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> job(jobId).getString("state").equals("done"));
        Row done = job(jobId);
        assertEquals(runner.instance(), done.getString("owner"));
        assertEquals(ROWS, done.getLong("rows_read"), "every row read once");
        assertEquals(ROWS, done.getLong("accepted"), "the first 500 from the stopped run, the other 700 now");
        assertEquals(0, done.getLong("duplicates"), "no committed row was read again (it would be a duplicate)");
        assertEquals(0, done.getLong("errors"));
        assertEquals(ROWS, leads(tag), "none skipped");
        long rowErrors = pool.preparedQuery("select count(*) from import_error where job_id = $1").execute(Tuple.of(jobId))
                .await().indefinitely().iterator().next().getLong(0);
        assertEquals(0, rowErrors);
        assertFalse(Files.exists(file), "the file goes once the job ended");
    }

    @Test
    void aJobWhoseOwnerIsAliveIsLeftAlone() throws IOException {
        UUID jobId = UUID.randomUUID();
        String tag = jobId.toString().substring(0, 8);
        Path file = file(jobId, tag);
        stoppedAfterFirstBatch(jobId, tag, "live-instance", 1);
        try {
            runner.resumeOrphans();
            runner.submit(jobId, file, new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(MAPPING, io.leadplatform.capture.domain.ImportMapping.class)); // a stray run does nothing either
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    job(jobId).getString("owner").equals("live-instance") && job(jobId).getLong("rows_read") == COMMITTED);
            assertEquals(COMMITTED, leads(tag));
            assertTrue(Files.exists(file), "the owner's file stays");
        } finally {
            pool.preparedQuery("update import_job set state = 'failed' where id = $1").execute(Tuple.of(jobId)).await().indefinitely();
            Files.deleteIfExists(file);
        }
    }
}
