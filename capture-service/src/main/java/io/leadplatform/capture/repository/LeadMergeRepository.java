package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.LeadMerge;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class LeadMergeRepository implements PanacheRepositoryBase<LeadMerge, UUID> {

    /** Every merge the lead took part in, as survivor or as the merged one, newest first. */
    public Uni<List<LeadMerge>> involving(UUID leadId) {
        return list("survivorId = ?1 or mergedId = ?1", Sort.by("mergedAt").descending(), leadId);
    }
}
