package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.Partner;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The partner table on the reactive client. */
@ApplicationScoped
public class PartnerRepository {

    private static final String COLUMNS = """
            id, name, channel, campaign, active, secret, previous_secret, previous_secret_expires_at, mapping, created_at,
            updated_at""";

    public Uni<Partner> findById(SqlClient c, String id) {
        return Sql.one(c, "select " + COLUMNS + " from partner where id = $1", Tuple.of(id), PartnerRepository::partner);
    }

    public Uni<List<Partner>> listAll(SqlClient c) {
        return Sql.list(c, "select " + COLUMNS + " from partner order by id", Tuple.tuple(), PartnerRepository::partner);
    }

    public Uni<Partner> insert(SqlClient c, Partner p) {
        return c.preparedQuery("insert into partner (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .execute(values(p)).replaceWith(p);
    }

    public Uni<Partner> update(SqlClient c, Partner p) {
        return c.preparedQuery("""
                        update partner set name = $2, channel = $3, campaign = $4, active = $5, secret = $6, previous_secret = $7,
                            previous_secret_expires_at = $8, mapping = $9, created_at = $10, updated_at = $11
                        where id = $1""")
                .execute(values(p)).replaceWith(p);
    }

    private static Tuple values(Partner p) {
        return Sql.params(p.id, p.name, p.channel, p.campaign, p.active, p.secret, p.previousSecret,
                Sql.at(p.previousSecretExpiresAt), p.mapping, Sql.at(p.createdAt), Sql.at(p.updatedAt));
    }

    private static Partner partner(Row r) {
        Partner p = new Partner();
        p.id = r.getString("id");
        p.name = r.getString("name");
        p.channel = r.getString("channel");
        p.campaign = r.getString("campaign");
        p.active = r.getBoolean("active");
        p.secret = r.getString("secret");
        p.previousSecret = r.getString("previous_secret");
        p.previousSecretExpiresAt = Sql.instant(r, "previous_secret_expires_at");
        p.mapping = r.getString("mapping");
        p.createdAt = Sql.instant(r, "created_at");
        p.updatedAt = Sql.instant(r, "updated_at");
        return p;
    }
}
