package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.VisitorLink;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class VisitorLinkRepository implements PanacheRepositoryBase<VisitorLink, String> {

    public Uni<List<VisitorLink>> byVisitorIds(Collection<String> visitorIds) {
        return visitorIds.isEmpty() ? Uni.createFrom().item(List.of()) : list("visitorId in ?1", visitorIds);
    }

    public Uni<List<VisitorLink>> ofLead(UUID leadId) {
        return list("leadId", leadId);
    }
}
