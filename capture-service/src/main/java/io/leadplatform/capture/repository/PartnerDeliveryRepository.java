package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.PartnerDelivery;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class PartnerDeliveryRepository implements PanacheRepositoryBase<PartnerDelivery, UUID> {

    public Uni<PartnerDelivery> findMessage(String partnerId, String webhookId) {
        return find("partnerId = ?1 and webhookId = ?2", partnerId, webhookId).firstResult();
    }

    /** accepted, duplicates, rejected and deliveries of a partner in [from, to). */
    public Uni<long[]> totals(String partnerId, Instant from, Instant to) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select coalesce(sum(d.accepted), 0), coalesce(sum(d.duplicates), 0), coalesce(sum(d.rejected), 0), count(d) "
                                + "from PartnerDelivery d where d.partnerId = :p and d.receivedAt >= :from and d.receivedAt < :to",
                        Object[].class)
                .setParameter("p", partnerId).setParameter("from", from).setParameter("to", to)
                .getSingleResult())
                .map(row -> new long[]{((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                        ((Number) row[2]).longValue(), ((Number) row[3]).longValue()});
    }
}
