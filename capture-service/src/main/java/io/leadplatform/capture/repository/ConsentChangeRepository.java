package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.ConsentChange;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ConsentChangeRepository implements PanacheRepositoryBase<ConsentChange, UUID> {

    /** A lead's consent history, newest first. */
    public Uni<List<ConsentChange>> ofLead(UUID leadId) {
        return list("leadId", Sort.by("recordedAt").descending(), leadId);
    }
}
