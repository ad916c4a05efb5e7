package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.LeadMerge;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The lead_merge table (audited merges) on the reactive client, in the caller's transaction. */
@ApplicationScoped
public class LeadMergeRepository {

    private static final String COLUMNS = """
            id, survivor_id, merged_id, reason, merged_by, merged_at, survivor_snapshot, merged_snapshot, moved_activity_ids,
            moved_visitor_ids, undone_at, undone_by""";

    public Uni<LeadMerge> findById(SqlClient c, UUID id) {
        return Sql.one(c, "select " + COLUMNS + " from lead_merge where id = $1", Tuple.of(id), LeadMergeRepository::merge);
    }

    /** Every merge the lead took part in, as survivor or as the merged one, newest first. */
    public Uni<List<LeadMerge>> involving(SqlClient c, UUID leadId) {
        return Sql.list(c, "select " + COLUMNS + " from lead_merge where survivor_id = $1 or merged_id = $1 order by merged_at desc",
                Tuple.of(leadId), LeadMergeRepository::merge);
    }

    public Uni<Void> insert(SqlClient c, LeadMerge m) {
        return c.preparedQuery("insert into lead_merge (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                .execute(Sql.params(m.id, m.survivorId, m.mergedId, m.reason, m.mergedBy, Sql.at(m.mergedAt),
                        JsonText.write(m.survivorSnapshot), JsonText.write(m.mergedSnapshot), JsonText.write(m.movedActivityIds),
                        JsonText.write(m.movedVisitorIds), Sql.at(m.undoneAt), m.undoneBy))
                .replaceWithVoid();
    }

    public Uni<Void> markUndone(SqlClient c, LeadMerge m) {
        return c.preparedQuery("update lead_merge set undone_at = $2, undone_by = $3 where id = $1")
                .execute(Tuple.of(m.id, Sql.at(m.undoneAt), m.undoneBy)).replaceWithVoid();
    }

    /** Erasure: the merges the lead took part in keep no snapshot (no personal data). */
    public Uni<Void> dropSnapshots(SqlClient c, UUID leadId) {
        return c.preparedQuery("""
                        update lead_merge set survivor_snapshot = null, merged_snapshot = null
                        where survivor_id = $1 or merged_id = $1""")
                .execute(Tuple.of(leadId)).replaceWithVoid();
    }

    private static LeadMerge merge(Row r) {
        LeadMerge m = new LeadMerge();
        m.id = r.getUUID("id");
        m.survivorId = r.getUUID("survivor_id");
        m.mergedId = r.getUUID("merged_id");
        m.reason = r.getString("reason");
        m.mergedBy = r.getString("merged_by");
        m.mergedAt = Sql.instant(r, "merged_at");
        m.survivorSnapshot = JsonText.read(r.getString("survivor_snapshot"), JsonText.SNAPSHOT);
        m.mergedSnapshot = JsonText.read(r.getString("merged_snapshot"), JsonText.SNAPSHOT);
        m.movedActivityIds = new ArrayList<>(JsonText.read(r.getString("moved_activity_ids"), JsonText.IDS));
        m.movedVisitorIds = new ArrayList<>(JsonText.read(r.getString("moved_visitor_ids"), JsonText.STRINGS));
        m.undoneAt = Sql.instant(r, "undone_at");
        m.undoneBy = r.getString("undone_by");
        return m;
    }
}
