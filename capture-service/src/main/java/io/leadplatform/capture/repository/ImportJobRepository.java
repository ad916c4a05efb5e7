package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.ImportJob;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class ImportJobRepository implements PanacheRepositoryBase<ImportJob, UUID> {

    /** Adds one batch's counts to the job (in the batch's transaction, so progress equals what committed). */
    public Uni<Integer> addProgress(UUID jobId, long read, long accepted, long duplicates, long errors) {
        return update("rowsRead = rowsRead + ?1, accepted = accepted + ?2, duplicates = duplicates + ?3, errors = errors + ?4 where id = ?5",
                read, accepted, duplicates, errors, jobId);
    }
}
