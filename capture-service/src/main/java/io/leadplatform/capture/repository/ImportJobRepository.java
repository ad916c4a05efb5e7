package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.ImportJob;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ImportJobRepository implements PanacheRepositoryBase<ImportJob, UUID> {

    /**
     * Adds one batch's counts to the job (in the batch's transaction, so progress equals what committed), if
     * {@code owner} still owns it. Answers the rows updated: 0 when another instance claimed the job.
     */
    public Uni<Integer> addProgress(UUID jobId, String owner, long read, long accepted, long duplicates, long errors) {
        return update("rowsRead = rowsRead + ?1, accepted = accepted + ?2, duplicates = duplicates + ?3, errors = errors + ?4,"
                        + " heartbeatAt = ?7 where id = ?5 and owner = ?6",
                read, accepted, duplicates, errors, jobId, owner, Instant.now());
    }

    /** Refreshes the heartbeat of the unfinished jobs {@code owner} runs or queued. */
    public Uni<Integer> heartbeat(String owner) {
        return update("heartbeatAt = ?1 where owner = ?2 and state in (?3, ?4)", Instant.now(), owner, ImportJob.QUEUED, ImportJob.RUNNING);
    }

    /** Unfinished jobs of other owners whose heartbeat is older than {@code staleBefore} (their instance stopped). */
    public Uni<List<ImportJob>> orphans(String self, Instant staleBefore) {
        return list("state in (?1, ?2) and (owner is null or owner <> ?3) and (heartbeatAt is null or heartbeatAt < ?4) order by createdAt",
                ImportJob.QUEUED, ImportJob.RUNNING, self, staleBefore);
    }

    /** Takes an orphaned job over; answers 1 if this call got it (0 if another instance was faster or its owner is alive). */
    public Uni<Integer> claim(UUID jobId, String owner, Instant staleBefore) {
        return update("owner = ?1, heartbeatAt = ?2 where id = ?3 and state in (?4, ?5) and (heartbeatAt is null or heartbeatAt < ?6)",
                owner, Instant.now(), jobId, ImportJob.QUEUED, ImportJob.RUNNING, staleBefore);
    }
}
