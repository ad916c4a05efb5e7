package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.FormSubmission;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class FormSubmissionRepository implements PanacheRepositoryBase<FormSubmission, UUID> {

    /** A lead's submissions, newest first, at most {@code limit} (all when limit is 0). */
    public Uni<List<FormSubmission>> ofLead(UUID leadId, int limit) {
        var query = find("leadId", Sort.by("receivedAt").descending(), leadId);
        return limit > 0 ? query.page(0, limit).list() : query.list();
    }
}
