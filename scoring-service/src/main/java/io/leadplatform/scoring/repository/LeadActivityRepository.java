package io.leadplatform.scoring.repository;

import io.leadplatform.scoring.domain.LeadActivity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class LeadActivityRepository implements PanacheRepositoryBase<LeadActivity, UUID> {

    public Uni<List<LeadActivity>> ofLead(UUID leadId) {
        return list("leadId = ?1 order by occurredAt, eventId", leadId);
    }

    /** A lead's activities up to an instant (backtests replay history as it stood then). */
    public Uni<List<LeadActivity>> between(Instant from, Instant to) {
        return list("occurredAt >= ?1 and occurredAt < ?2 order by leadId, occurredAt", from, to);
    }
}
