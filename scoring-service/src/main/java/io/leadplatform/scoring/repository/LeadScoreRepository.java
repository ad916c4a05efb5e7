package io.leadplatform.scoring.repository;

import io.leadplatform.scoring.domain.LeadScore;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class LeadScoreRepository implements PanacheRepositoryBase<LeadScore, UUID> {
}
