package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.VisitorActivity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class VisitorActivityRepository implements PanacheRepositoryBase<VisitorActivity, UUID> {

    /** The anonymous activity of a visitor, oldest first. */
    public Uni<List<VisitorActivity>> anonymousOf(String visitorId) {
        return list("visitorId = ?1 and leadId is null", Sort.by("occurredAt"), visitorId);
    }

    /** A lead's activity, newest first, at most {@code limit} (all when limit is 0). */
    public Uni<List<VisitorActivity>> ofLead(UUID leadId, int limit) {
        var query = find("leadId", Sort.by("occurredAt").descending(), leadId);
        return limit > 0 ? query.page(0, limit).list() : query.list();
    }

    /** What a merge moved to the survivor: the listed activities and everything since from the moved visitor ids. */
    public Uni<List<VisitorActivity>> movedBy(UUID survivorId, List<UUID> ids, List<String> visitorIds) {
        if (ids.isEmpty() && visitorIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("leadId = ?1 and (id in ?2 or visitorId in ?3)", survivorId,
                ids.isEmpty() ? List.of(new UUID(0, 0)) : ids, visitorIds.isEmpty() ? List.of("") : visitorIds);
    }
}
