package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.VisitorLink;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The visitor_link table on the reactive client, in the caller's transaction. */
@ApplicationScoped
public class VisitorLinkRepository {

    /** Links the visitor id to the lead unless some lead holds it already; answers whether it linked it. */
    public Uni<Boolean> link(SqlClient c, String visitorId, UUID leadId, Instant linkedAt, String linkedBy) {
        return c.preparedQuery("""
                        insert into visitor_link (visitor_id, lead_id, linked_at, linked_by) values ($1, $2, $3, $4)
                        on conflict (visitor_id) do nothing""")
                .execute(Tuple.of(visitorId, leadId, Sql.at(linkedAt), linkedBy)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<List<VisitorLink>> ofLead(SqlClient c, UUID leadId) {
        return Sql.list(c, "select visitor_id, lead_id, linked_at, linked_by from visitor_link where lead_id = $1",
                Tuple.of(leadId), r -> {
                    VisitorLink l = new VisitorLink();
                    l.visitorId = r.getString("visitor_id");
                    l.leadId = r.getUUID("lead_id");
                    l.linkedAt = Sql.instant(r, "linked_at");
                    l.linkedBy = r.getString("linked_by");
                    return l;
                });
    }

    /** A merge: the merged lead's visitor ids become the survivor's; answers them. */
    public Uni<List<String>> move(SqlClient c, UUID fromLead, UUID toLead) {
        return Sql.list(c, "update visitor_link set lead_id = $2 where lead_id = $1 returning visitor_id",
                Tuple.of(fromLead, toLead), r -> r.getString("visitor_id"));
    }

    /** Undoing a merge: the moved visitor ids the survivor still holds go back. */
    public Uni<Void> moveBack(SqlClient c, UUID survivorId, UUID otherId, List<String> visitorIds) {
        if (visitorIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("update visitor_link set lead_id = $2 where lead_id = $1 and visitor_id = any($3)")
                .execute(Tuple.of(survivorId, otherId, visitorIds.toArray(String[]::new))).replaceWithVoid();
    }

    public Uni<Void> deleteOfLead(SqlClient c, UUID leadId) {
        return c.preparedQuery("delete from visitor_link where lead_id = $1").execute(Tuple.of(leadId)).replaceWithVoid();
    }
}
