package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.scoring.messaging.LeadEventReader;
import io.leadplatform.scoring.service.BatchScoringService;
import io.leadplatform.scoring.service.RescoreJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Time to rescore N leads (inserted by SQL, one webinar each) with one worker, then with two workers at once, in one
 * run: {@code -Drescore.bench.leads=100000} (order: {@code -Drescore.bench.order=1,2}). Prints one line per run; the leads
 * are deleted afterwards.
 */
@QuarkusTest
@TestProfile(RescoreBenchmarkTest.Workers.class)
@EnabledIfSystemProperty(named = "rescore.bench.leads", matches = "\\d+")
class RescoreBenchmarkTest {

    /** The production chunk size, no background worker: the test's owners are the only workers. */
    public static class Workers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scoring.rescore.worker", "false", "scoring.rescore.chunk-size", "500");
        }
    }

    private static final String BENCH_EMAIL = "%@bench-rescore.example";

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

    @Test
    void rescoreWithOneThenTwoWorkers() {
        int n = Integer.getInteger("rescore.bench.leads");
        Rescoring r = new Rescoring(pool, scoring, reader, mapper);
        r.rows("""
                insert into lead_score (lead_id, channel, fit, grade, engagement, temperature, stage, model_version, model_id,
                                        contributions, profile, updated_at)
                select gen_random_uuid(), 'website', 35, 'A', 0, 'cold', 'LEAD', 'default@1', $1,
                       '[]', jsonb_build_object('email', 'b' || i || '@bench-rescore.example', 'company', 'Acme GmbH',
                                                'jobTitle', 'Head of Marketing', 'country', 'DE', 'channel', 'website'), now()
                from generate_series(1, $2::int) as i""", UUID.fromString(Rescoring.DEFAULT_MODEL), n);
        r.rows("""
                insert into lead_activity (event_id, lead_id, activity_type, occurred_at, bot)
                select gen_random_uuid(), lead_id, 'webinar', now() - interval '1 day', false
                from lead_score where profile ->> 'email' like $1""", BENCH_EMAIL);
        try {
            // worker counts in run order (-Drescore.bench.order=2,1 to see what warming up the JVM and the cache is worth)
            int points = 2;
            for (String workers : System.getProperty("rescore.bench.order", "1,2").split(",")) {
                run(r, Rescoring.model(points++), n, Integer.parseInt(workers.trim()));
            }
        } finally {
            r.rows("delete from lead_activity where lead_id in (select lead_id from lead_score where profile ->> 'email' like $1)", BENCH_EMAIL);
            r.rows("delete from lead_score where profile ->> 'email' like $1", BENCH_EMAIL);
            Rescoring.activate(Rescoring.DEFAULT_MODEL);
            jobs.drain("bench-cleanup").await().atMost(Duration.ofMinutes(10));
        }
    }

    private void run(Rescoring r, String[] model, int n, int workers) {
        long started = System.nanoTime();
        Rescoring.activate(model[0]);
        long activated = System.nanoTime();
        if (workers == 1) {
            jobs.drain("bench-1").await().atMost(Duration.ofMinutes(30));
        } else {
            Uni.combine().all().unis(jobs.drain("bench-1"), jobs.drain("bench-2")).asTuple().await().atMost(Duration.ofMinutes(30));
        }
        long done = System.nanoTime();
        Rescoring.status(model[0]).body("state", equalTo("done"));
        assertEquals(0, r.count("select count(*) from lead_score where merged_into is null and model_id is distinct from $1",
                UUID.fromString(model[0])));
        long total = r.count("select sum(rescored) from rescore_chunk where job_id = $1", r.job(model[0]));
        double seconds = (done - activated) / 1e9;
        System.out.printf("RESCORE-BENCH workers=%d leads=%d rescored=%d activation=%.2fs rescoring=%.2fs rate=%.0f leads/s%n", workers, n, total,
                (activated - started) / 1e9, seconds, total / seconds);
    }
}
