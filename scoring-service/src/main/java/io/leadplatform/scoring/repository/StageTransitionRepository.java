package io.leadplatform.scoring.repository;

import io.leadplatform.scoring.domain.StageTransition;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class StageTransitionRepository implements PanacheRepository<StageTransition> {

    public Uni<List<StageTransition>> history(UUID leadId) {
        return list("leadId = ?1 order by id", leadId);
    }
}
