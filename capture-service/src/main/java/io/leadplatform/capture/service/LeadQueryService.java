package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Use case: marketing and sales read leads. */
@ApplicationScoped
public class LeadQueryService {

    private final LeadRepository leads;
    private final Pool pool;

    public LeadQueryService(LeadRepository leads, Pool pool) {
        this.pool = pool;
        this.leads = leads;
    }

    public Uni<Lead> get(UUID id) {
        return leads.findById(pool, id).onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + id));
    }

    public Uni<List<Lead>> search(LeadRepository.LeadFilter filter, int limit) {
        return leads.search(pool, filter, limit);
    }
}
