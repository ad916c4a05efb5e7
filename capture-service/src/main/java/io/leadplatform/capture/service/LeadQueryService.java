package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.common.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Use case: marketing and sales read leads. */
@ApplicationScoped
public class LeadQueryService {

    private final LeadRepository leads;

    public LeadQueryService(LeadRepository leads) {
        this.leads = leads;
    }

    @WithSession
    public Uni<Lead> get(UUID id) {
        return leads.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + id));
    }

    @WithSession
    public Uni<List<Lead>> search(LeadRepository.LeadFilter filter, int limit) {
        return leads.search(filter, limit);
    }
}
