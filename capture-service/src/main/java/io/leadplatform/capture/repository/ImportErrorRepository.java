package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.ImportError;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ImportErrorRepository implements PanacheRepositoryBase<ImportError, UUID> {

    public Uni<List<ImportError>> ofJob(UUID jobId) {
        return find("jobId = ?1 order by rowNo, field", jobId).list();
    }
}
