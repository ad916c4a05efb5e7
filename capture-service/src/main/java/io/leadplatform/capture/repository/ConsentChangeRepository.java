package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.ConsentChange;
import io.leadplatform.common.persistence.Columns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The consent_change table (a lead's consent history) on the reactive client. */
@ApplicationScoped
public class ConsentChangeRepository {

    static final String INSERT_ALL = """
            insert into consent_change (id, lead_id, purpose, granted, text_version, recorded_at, source)
            select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[], $5::text[], $6::timestamptz[], $7::text[])""";

    /** The rows with one statement, in the caller's transaction. */
    public Uni<Void> insertAll(SqlClient c, List<ConsentChange> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery(INSERT_ALL).execute(columns(changes)).replaceWithVoid();
    }

    static Tuple columns(List<ConsentChange> changes) {
        return Columns.of(changes).uuid(x -> x.id).uuid(x -> x.leadId).text(x -> x.purpose).bool(x -> x.granted)
                .text(x -> x.textVersion).time(x -> x.recordedAt).text(x -> x.source).tuple();
    }

    /** A lead's consent history, newest first. */
    public Uni<List<ConsentChange>> ofLead(SqlClient c, UUID leadId) {
        return Sql.list(c, """
                select id, lead_id, purpose, granted, text_version, recorded_at, source from consent_change
                where lead_id = $1 order by recorded_at desc""", Tuple.of(leadId), ConsentChangeRepository::change);
    }

    private static ConsentChange change(Row r) {
        ConsentChange x = new ConsentChange();
        x.id = r.getUUID("id");
        x.leadId = r.getUUID("lead_id");
        x.purpose = r.getString("purpose");
        x.granted = r.getBoolean("granted");
        x.textVersion = r.getString("text_version");
        x.recordedAt = Sql.instant(r, "recorded_at");
        x.source = r.getString("source");
        return x;
    }
}
