package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.PartnerDelivery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** The partner_delivery table (answered webhook messages) on the reactive client. */
@ApplicationScoped
public class PartnerDeliveryRepository {

    public Uni<PartnerDelivery> findMessage(SqlClient c, String partnerId, String webhookId) {
        return Sql.one(c, """
                select id, partner_id, webhook_id, status, body, accepted, duplicates, rejected, received_at
                from partner_delivery where partner_id = $1 and webhook_id = $2""", Tuple.of(partnerId, webhookId), r -> {
            PartnerDelivery d = new PartnerDelivery();
            d.id = r.getUUID("id");
            d.partnerId = r.getString("partner_id");
            d.webhookId = r.getString("webhook_id");
            d.status = r.getInteger("status");
            d.body = r.getString("body");
            d.accepted = r.getInteger("accepted");
            d.duplicates = r.getInteger("duplicates");
            d.rejected = r.getInteger("rejected");
            d.receivedAt = Sql.instant(r, "received_at");
            return d;
        });
    }

    public Uni<Void> insert(SqlClient c, PartnerDelivery d) {
        return c.preparedQuery("""
                        insert into partner_delivery (id, partner_id, webhook_id, status, body, accepted, duplicates, rejected, received_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""")
                .execute(Sql.params(d.id, d.partnerId, d.webhookId, d.status, d.body, d.accepted, d.duplicates, d.rejected,
                        Sql.at(d.receivedAt)))
                .replaceWithVoid();
    }

    /** accepted, duplicates, rejected and deliveries of a partner in [from, to). */
    public Uni<long[]> totals(SqlClient c, String partnerId, Instant from, Instant to) {
        return Sql.one(c, """
                select coalesce(sum(accepted), 0), coalesce(sum(duplicates), 0), coalesce(sum(rejected), 0), count(*)
                from partner_delivery where partner_id = $1 and received_at >= $2 and received_at < $3""",
                Tuple.of(partnerId, Sql.at(from), Sql.at(to)),
                r -> new long[]{r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3)});
    }
}
