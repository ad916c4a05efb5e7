package io.leadplatform.scoring.repository;

import io.leadplatform.scoring.domain.ScoringModel;
import io.leadplatform.scoring.repository.ScoringBatchRepository.StoredLead;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements of durable rescoring (tables rescore_job and rescore_chunk, V40_2) on the reactive PG client,
 * inside the caller's transaction.
 */
@ApplicationScoped
public class RescoreJobRepository {

    private static final String LOCK_ACTIVATIONS = "select pg_advisory_xact_lock($1)";
    private static final String MODEL_FOR_UPDATE = "select id, active from scoring_model where id = $1 for update";
    private static final String DEACTIVATE = "update scoring_model set active = false where active and id <> $1";
    private static final String ACTIVATE = "update scoring_model set active = true where id = $1";
    private static final String SUPERSEDE = """
            update rescore_job set state = 'superseded', superseded_by = $1, finished_at = now()
            where state = 'running' returning id""";
    private static final String CANCEL_CHUNKS = """
            update rescore_chunk set state = 'cancelled', owner = null, lease_until = null, finished_at = now()
            where job_id = any($1) and state in ('pending', 'claimed')""";
    private static final String INSERT_JOB = """
            insert into rescore_job (id, model_id, state, chunk_size, created_at) values ($1, $2, 'running', $3, now())""";
    // every lead standing on its own, in lead id order, cut every $2 leads; the first range starts at the smallest
    // uuid and the last has no end, so a lead created after this statement still falls into a range
    private static final String INSERT_CHUNKS = """
            with ranked as (
                select lead_id, row_number() over (order by lead_id) as rn, count(*) over () as total
                from lead_score where merged_into is null
            )
            insert into rescore_chunk (job_id, chunk_no, from_lead, to_lead, planned, state)
            select $1, ((rn - 1) / $2::int)::int,
                   case when rn = 1 then '00000000-0000-0000-0000-000000000000'::uuid else lead_id end,
                   lead(lead_id) over (order by rn), least($2::int, total - rn + 1)::int, 'pending'
            from ranked where (rn - 1) % $2::int = 0
            returning planned""";
    private static final String FINISH_EMPTY_JOB = "update rescore_job set state = 'done', finished_at = now() where id = $1";
    private static final String CLAIM = """
            update rescore_chunk c set state = 'claimed', owner = $1, lease_until = now() + $2::bigint * interval '1 millisecond',
                attempts = c.attempts + 1
            from (select o.job_id, o.chunk_no from rescore_chunk o join rescore_job j on j.id = o.job_id
                  where j.state = 'running'
                    and (o.state = 'pending' or (o.state = 'claimed' and o.lease_until < now()))
                  order by j.created_at, o.chunk_no
                  limit 1
                  for update of o skip locked) n
            where c.job_id = n.job_id and c.chunk_no = n.chunk_no
            returning c.job_id, c.chunk_no, c.from_lead, c.to_lead, c.attempts""";
    private static final String RENEW = """
            update rescore_chunk set lease_until = now() + $4::bigint * interval '1 millisecond'
            where job_id = $1 and chunk_no = $2 and owner = $3 and state = 'claimed' returning chunk_no""";
    private static final String JOB_MODEL = """
            select j.state as job_state, m.id, m.name, m.version, m.definition, m.active, m.created_at, m.created_by
            from rescore_job j join scoring_model m on m.id = j.model_id where j.id = $1""";
    private static final String CHUNK_DONE = """
            update rescore_chunk set state = 'done', rescored = $3, skipped = $4, lease_until = null, finished_at = now()
            where job_id = $1 and chunk_no = $2""";
    private static final String RELEASE = """
            update rescore_chunk set state = 'pending', owner = null, lease_until = null
            where job_id = $1 and chunk_no = $2 and owner = $3 and state = 'claimed'""";
    private static final String RELEASE_OWNER = """
            update rescore_chunk set state = 'pending', owner = null, lease_until = null where owner = $1 and state = 'claimed'""";
    private static final String COMPLETE_JOBS = """
            update rescore_job j set state = 'done', finished_at = now()
            where state = 'running' and not exists (select 1 from rescore_chunk c where c.job_id = j.id and c.state <> 'done')
            returning id""";
    private static final String STATUS = """
            select m.id as model_id, j.id as job_id, j.state, j.created_at, j.finished_at,
                   s.name || '@' || s.version as superseded_by,
                   c.total, c.done, c.chunks, c.chunks_done, c.chunks_claimed
            from scoring_model m
            left join lateral (select * from rescore_job where model_id = m.id order by created_at desc limit 1) j on true
            left join lateral (select coalesce(sum(case when state = 'done' then rescored + skipped else planned end), 0) as total,
                                      coalesce(sum(rescored + skipped) filter (where state = 'done'), 0) as done,
                                      count(*) as chunks, count(*) filter (where state = 'done') as chunks_done,
                                      count(*) filter (where state = 'claimed') as chunks_claimed
                               from rescore_chunk where job_id = j.id) c on true
            left join scoring_model s on s.id = j.superseded_by
            where m.id = $1""";

    /** A chunk claimed by a worker: the lead range [fromLead, toLead) (toLead null: no end) of a job. */
    public record Chunk(UUID jobId, int chunkNo, UUID fromLead, UUID toLead, int attempts) {
    }

    /** A claimed chunk as its rescoring transaction found it: still ours, the job's state and model, the locked leads. */
    public record Locked(boolean stillOwned, String jobState, ScoringModel model, Map<UUID, StoredLead> leads) {
    }

    /** A job's progress from its chunks; jobId null when the model was never activated since V40_2. */
    public record Status(UUID jobId, String state, long total, long done, Instant startedAt, Instant finishedAt, String supersededBy,
                         long chunks, long chunksDone, long chunksClaimed) {
    }

    private final ScoringBatchRepository batch;

    public RescoreJobRepository(ScoringBatchRepository batch) {
        this.batch = batch;
    }

    /** Waits until no scoring transaction holds the active model, then holds it exclusively until the transaction ends. */
    public Uni<Void> lockActivations(SqlConnection conn) {
        return conn.preparedQuery(LOCK_ACTIVATIONS).execute(Tuple.of(ScoringBatchRepository.ACTIVE_MODEL_LOCK)).replaceWithVoid();
    }

    /** Whether the model is active (row locked), empty when there is no such model. */
    public Uni<Optional<Boolean>> lockModel(SqlConnection conn, UUID modelId) {
        return conn.preparedQuery(MODEL_FOR_UPDATE).execute(Tuple.of(modelId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBoolean("active")));
    }

    /**
     * Makes the model the only active one, supersedes the running jobs (their open chunks are cancelled) and records
     * a new job over every lead; answers how many leads it plans to rescore.
     */
    public Uni<Long> activate(SqlConnection conn, UUID modelId, UUID jobId, int chunkSize) {
        return Uni.combine().all().unis(
                        conn.preparedQuery(DEACTIVATE).execute(Tuple.of(modelId)),
                        conn.preparedQuery(ACTIVATE).execute(Tuple.of(modelId)),
                        conn.preparedQuery(SUPERSEDE).execute(Tuple.of(modelId)))
                .asTuple()
                .chain(t -> {
                    List<UUID> superseded = new ArrayList<>();
                    t.getItem3().forEach(r -> superseded.add(r.getUUID("id")));
                    return Uni.combine().all().unis(
                                    conn.preparedQuery(CANCEL_CHUNKS).execute(Tuple.of(superseded.toArray(UUID[]::new))),
                                    conn.preparedQuery(INSERT_JOB).execute(Tuple.of(jobId, modelId, chunkSize)),
                                    conn.preparedQuery(INSERT_CHUNKS).execute(Tuple.of(jobId, chunkSize)))
                            .asTuple();
                })
                .chain(t -> {
                    long planned = 0;
                    for (Row r : t.getItem3()) {
                        planned += r.getInteger("planned");
                    }
                    long total = planned;
                    return t.getItem3().size() == 0
                            ? conn.preparedQuery(FINISH_EMPTY_JOB).execute(Tuple.of(jobId)).replaceWith(total)
                            : Uni.createFrom().item(total);
                });
    }

    /** Claims the next open chunk (pending, or claimed with a lease run out) of the oldest running job for {@code owner}. */
    public Uni<Optional<Chunk>> claim(SqlConnection conn, String owner, Duration lease) {
        return conn.preparedQuery(CLAIM).execute(Tuple.of(owner, lease.toMillis())).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            return Optional.of(new Chunk(r.getUUID("job_id"), r.getInteger("chunk_no"), r.getUUID("from_lead"), r.getUUID("to_lead"),
                    r.getInteger("attempts")));
        });
    }

    /**
     * The start of a chunk's rescoring transaction, pipelined: bounds how long the transaction may sit idle (a frozen
     * owner's locks are released after the lease), renews the lease when the chunk is still claimed by {@code owner}
     * (locking it: nobody takes it over meanwhile), locks the range's leads and reads the job's state and model.
     */
    public Uni<Locked> lock(SqlConnection conn, Chunk chunk, String owner, Duration lease) {
        return Uni.combine().all().unis(
                        conn.query("set local idle_in_transaction_session_timeout = " + lease.toMillis()).execute(),
                        conn.preparedQuery(RENEW).execute(Tuple.of(chunk.jobId(), chunk.chunkNo(), owner, lease.toMillis())),
                        batch.lockRange(conn, chunk.fromLead(), chunk.toLead()),
                        conn.preparedQuery(JOB_MODEL).execute(Tuple.of(chunk.jobId())))
                .asTuple()
                .map(t -> {
                    Row job = t.getItem4().iterator().next();
                    return new Locked(t.getItem2().size() == 1, job.getString("job_state"), ScoringModelRepository.of(job), t.getItem3());
                });
    }

    public Uni<Void> chunkDone(SqlConnection conn, Chunk chunk, int rescored, int skipped) {
        return conn.preparedQuery(CHUNK_DONE).execute(Tuple.of(chunk.jobId(), chunk.chunkNo(), rescored, skipped)).replaceWithVoid();
    }

    /** Gives a chunk back (its rescoring failed): open again at once instead of after the lease. */
    public Uni<Void> release(Pool pool, Chunk chunk, String owner) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(chunk.jobId(), chunk.chunkNo(), owner)).replaceWithVoid();
    }

    /** Gives back every chunk {@code owner} holds (it is stopping); answers how many. */
    public Uni<Integer> releaseAll(Pool pool, String owner) {
        return pool.preparedQuery(RELEASE_OWNER).execute(Tuple.of(owner)).map(rows -> rows.rowCount());
    }

    /** Marks every running job whose chunks are all done as done; answers those jobs. */
    public Uni<List<UUID>> completeJobs(Pool pool) {
        return pool.query(COMPLETE_JOBS).execute().map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getUUID("id")));
            return ids;
        });
    }

    /** The progress of the model's latest job; empty when there is no such model. */
    public Uni<Optional<Status>> status(Pool pool, UUID modelId) {
        return pool.preparedQuery(STATUS).execute(Tuple.of(modelId)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            UUID jobId = r.getUUID("job_id");
            if (jobId == null) {
                return Optional.of(new Status(null, "idle", 0, 0, null, null, null, 0, 0, 0));
            }
            return Optional.of(new Status(jobId, r.getString("state"), r.getLong("total"), r.getLong("done"),
                    instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("finished_at")), r.getString("superseded_by"),
                    r.getLong("chunks"), r.getLong("chunks_done"), r.getLong("chunks_claimed")));
        });
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
