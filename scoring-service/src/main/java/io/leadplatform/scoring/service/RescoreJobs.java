package io.leadplatform.scoring.service;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.scoring.config.ScoringConfig;
import io.leadplatform.scoring.messaging.ScoringEvents;
import io.leadplatform.scoring.repository.RescoreJobRepository;
import io.leadplatform.scoring.repository.RescoreJobRepository.Chunk;
import io.leadplatform.scoring.repository.RescoreJobRepository.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;

/**
 * Rescoring after an activation as a durable job in PostgreSQL, shared by every replica.
 * <p>
 * {@link #activate} flips the active model and records the job in one transaction: every lead standing on its own,
 * cut by lead id into chunks of {@code scoring.rescore.chunk-size}; a running job of an older activation is
 * superseded (its open chunks cancelled). Any number of workers (one per replica, see {@link RescoreWorker}) then
 * {@link #claim} chunks, each with {@code for update skip locked} and a lease, and {@link #process} them: one
 * transaction per chunk that renews the lease only while the chunk is still theirs, locks the range's leads and
 * rescores them under the job's model (a lead already on that model is skipped). A worker that dies mid-chunk
 * rolls back; its chunk is claimed again once the lease ran out. A restarted replica simply claims what is open.
 */
@ApplicationScoped
public class RescoreJobs {

    private static final Logger LOG = Logger.getLogger(RescoreJobs.class);

    private final Pool pool;
    private final RescoreJobRepository repository;
    private final BatchScoringService scoring;
    private final ScoringEvents events;
    private final ScoringConfig config;

    public RescoreJobs(Pool pool, RescoreJobRepository repository, BatchScoringService scoring, ScoringEvents events, ScoringConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.scoring = scoring;
        this.events = events;
        this.config = config;
    }

    /** A recorded job: its id and how many leads it plans to rescore. */
    public record Recorded(UUID jobId, long planned) {
    }

    /**
     * Makes the model the only active one and records its rescoring job, in one transaction. It first waits for the
     * scoring transactions in flight (they read the old model), so every lead they create is in the job. 404 for an
     * unknown model, 409 when it is active already.
     */
    public Uni<Recorded> activate(UUID modelId) {
        UUID jobId = UUID.randomUUID();
        return pool.withTransaction(conn -> repository.lockActivations(conn)
                .chain(() -> repository.lockModel(conn, modelId))
                .chain(active -> {
                    if (active.isEmpty()) {
                        return Uni.createFrom().failure(ProblemException.notFound("no scoring model " + modelId));
                    }
                    if (active.get()) {
                        return Uni.createFrom().failure(ProblemException.conflict("model " + modelId + " is already active"));
                    }
                    return repository.activate(conn, modelId, jobId, config.rescore().chunkSize());
                }))
                .map(planned -> new Recorded(jobId, planned))
                .invoke(r -> LOG.infof("model %s activated: rescoring job %s over %d leads", modelId, r.jobId(), r.planned()));
    }

    /** Claims the next open chunk for {@code owner} (its own short transaction, so the lease is visible to everyone). */
    public Uni<Optional<Chunk>> claim(String owner) {
        return pool.withTransaction(conn -> repository.claim(conn, owner, config.rescore().lease()));
    }

    /** What became of a claimed chunk. */
    public enum Outcome {
        /** Rescored and marked done. */
        DONE,
        /** No longer this owner's (its lease ran out and another worker took it) or no longer wanted (superseded): nothing written. */
        LOST
    }

    /**
     * Rescores a chunk claimed by {@code owner} in one transaction. When the chunk is no longer the owner's or its job
     * was superseded, nothing is written. On failure the chunk is given back (open again at once).
     */
    public Uni<Outcome> process(String owner, Chunk chunk) {
        return pool.withTransaction(conn -> repository.lock(conn, chunk, owner, config.rescore().lease()).chain(locked -> {
                    if (!locked.stillOwned() || !"running".equals(locked.jobState())) {
                        return Uni.createFrom().item(new Result(Outcome.LOST, 0));
                    }
                    return scoring.rescore(conn, locked.model(), locked.leads())
                            .call(r -> repository.chunkDone(conn, chunk, r.rescored(), r.skipped()))
                            .map(r -> new Result(Outcome.DONE, r.events()));
                }))
                .invoke(r -> {
                    if (r.events() > 0) {
                        events.committed();
                    }
                })
                .map(Result::outcome)
                .onFailure().call(e -> {
                    LOG.warnf("rescoring chunk %d of job %s failed, given back: %s", chunk.chunkNo(), chunk.jobId(), e.toString());
                    return repository.release(pool, chunk, owner).onFailure().recoverWithNull();
                });
    }

    private record Result(Outcome outcome, int events) {
    }

    /**
     * Works as {@code owner} until no chunk is open: claim, rescore, repeat; then marks the jobs whose chunks are all
     * done as done. Answers how many chunks this owner rescored.
     */
    public Uni<Integer> drain(String owner) {
        return drain(owner, 0);
    }

    private Uni<Integer> drain(String owner, int doneSoFar) {
        return claim(owner).chain(chunk -> {
            if (chunk.isEmpty()) {
                return repository.completeJobs(pool).invoke(done -> done.forEach(id -> LOG.infof("rescoring job %s done", id)))
                        .replaceWith(doneSoFar);
            }
            if (chunk.get().attempts() > 1) {
                LOG.infof("chunk %d of job %s taken over by %s (attempt %d)", chunk.get().chunkNo(), chunk.get().jobId(), owner,
                        chunk.get().attempts());
            }
            return process(owner, chunk.get()).chain(outcome -> drain(owner, doneSoFar + (outcome == Outcome.DONE ? 1 : 0)));
        });
    }

    /**
     * Gives back the chunks {@code owner} holds, open again at once (a replica stopping on purpose; a chunk being
     * rescored right now is waited for and, once done, left done). Answers how many.
     */
    public Uni<Integer> releaseAll(String owner) {
        return repository.releaseAll(pool, owner);
    }

    /** The progress of the model's latest rescoring job ({@code idle} when it has none); 404 for an unknown model. */
    public Uni<Status> status(UUID modelId) {
        return repository.status(pool, modelId)
                .map(s -> s.orElseThrow(() -> ProblemException.notFound("no scoring model " + modelId)));
    }
}
