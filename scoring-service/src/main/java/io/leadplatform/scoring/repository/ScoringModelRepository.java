package io.leadplatform.scoring.repository;

import io.leadplatform.scoring.domain.ScoringModel;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ScoringModelRepository implements PanacheRepositoryBase<ScoringModel, UUID> {

    public Uni<ScoringModel> active() {
        return find("active = true").firstResult();
    }

    public Uni<List<ScoringModel>> all() {
        return list("order by name, version");
    }

    public Uni<Integer> latestVersion(String name) {
        return find("select max(m.version) from ScoringModel m where m.name = ?1", name).project(Integer.class).firstResult()
                .map(v -> v == null ? 0 : v);
    }
}
