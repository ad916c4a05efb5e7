package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.Lead;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class LeadRepository implements PanacheRepositoryBase<Lead, UUID> {

    public Uni<Lead> findByEmail(String email) {
        return find("lower(email) = lower(?1)", email).firstResult();
    }

    /** The leads among the given (lower-case) e-mails that already exist, from any source. */
    public Uni<List<Lead>> findByEmails(java.util.Collection<String> lowerCaseEmails) {
        if (lowerCaseEmails.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return find("lower(email) in ?1", lowerCaseEmails).list();
    }

    /**
     * Leads matching the filters, newest first, after the cursor (created_at, id) of the last page.
     */
    public Uni<List<Lead>> search(LeadFilter filter, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (filter.email() != null) {
            where.append(" and lower(email) = lower(:email)");
            params.and("email", filter.email());
        }
        if (filter.channel() != null) {
            where.append(" and channel = :channel");
            params.and("channel", filter.channel());
        }
        if (filter.source() != null) {
            where.append(" and source = :source");
            params.and("source", filter.source());
        }
        if (filter.campaign() != null) {
            where.append(" and campaign = :campaign");
            params.and("campaign", filter.campaign());
        }
        if (filter.from() != null) {
            where.append(" and createdAt >= :from");
            params.and("from", filter.from());
        }
        if (filter.to() != null) {
            where.append(" and createdAt < :to");
            params.and("to", filter.to());
        }
        if (filter.afterCreatedAt() != null) {
            where.append(" and (createdAt < :cAt or (createdAt = :cAt and id < :cId))");
            params.and("cAt", filter.afterCreatedAt()).and("cId", filter.afterId());
        }
        return find(where + " order by createdAt desc, id desc", params).page(0, limit).list();
    }

    public record LeadFilter(String email, String channel, String source, String campaign, Instant from, Instant to,
                             Instant afterCreatedAt, UUID afterId) {
    }
}
