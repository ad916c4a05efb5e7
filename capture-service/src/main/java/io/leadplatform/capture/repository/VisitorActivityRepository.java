package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.VisitorActivity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The visitor_activity table on the reactive client, in the caller's transaction. */
@ApplicationScoped
public class VisitorActivityRepository {

    static final String COLUMNS = """
            id, visitor_id, lead_id, activity_type, url, asset, duration_seconds, occurred_at, received_at, linked_at""";

    /** Links the visitor's anonymous activity to the lead; answers it, oldest first. */
    public Uni<List<VisitorActivity>> linkAnonymous(SqlClient c, String visitorId, UUID leadId, Instant linkedAt) {
        return Sql.list(c, """
                with linked as (update visitor_activity set lead_id = $2, linked_at = $3
                                where visitor_id = $1 and lead_id is null returning\s""" + COLUMNS + """
                )
                select * from linked order by occurred_at""", Tuple.of(visitorId, leadId, Sql.at(linkedAt)),
                VisitorActivityRepository::activity);
    }

    /** A lead's activity, newest first, at most {@code limit} (all when limit is 0). */
    public Uni<List<VisitorActivity>> ofLead(SqlClient c, UUID leadId, int limit) {
        return Sql.list(c, "select " + COLUMNS + " from visitor_activity where lead_id = $1 order by occurred_at desc"
                + (limit > 0 ? " limit " + limit : ""), Tuple.of(leadId), VisitorActivityRepository::activity);
    }

    /** A merge: the merged lead's activity becomes the survivor's; answers the moved ids, newest first. */
    public Uni<List<UUID>> move(SqlClient c, UUID fromLead, UUID toLead) {
        return Sql.list(c, """
                with moved as (update visitor_activity set lead_id = $2 where lead_id = $1 returning id, occurred_at)
                select id from moved order by occurred_at desc""", Tuple.of(fromLead, toLead), r -> r.getUUID("id"));
    }

    /** Undoing a merge: what it moved to the survivor (the listed activities and everything since from the moved visitor ids) goes back. */
    public Uni<Void> moveBack(SqlClient c, UUID survivorId, UUID otherId, List<UUID> ids, List<String> visitorIds) {
        if (ids.isEmpty() && visitorIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("""
                        update visitor_activity set lead_id = $2
                        where lead_id = $1 and (id = any($3) or visitor_id = any($4))""")
                .execute(Tuple.of(survivorId, otherId, ids.toArray(UUID[]::new), visitorIds.toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** Erasure: the lead's activity is unlinked and its visitor id replaced. */
    public Uni<Void> erase(SqlClient c, UUID leadId, String anonymousVisitor) {
        return c.preparedQuery("update visitor_activity set lead_id = null, linked_at = null, visitor_id = $2 where lead_id = $1")
                .execute(Tuple.of(leadId, anonymousVisitor)).replaceWithVoid();
    }

    static VisitorActivity activity(Row row) {
        VisitorActivity a = new VisitorActivity();
        a.id = row.getUUID("id");
        a.visitorId = row.getString("visitor_id");
        a.leadId = row.getUUID("lead_id");
        a.activityType = row.getString("activity_type");
        a.url = row.getString("url");
        a.asset = row.getString("asset");
        a.durationSeconds = row.getInteger("duration_seconds");
        a.occurredAt = Sql.instant(row, "occurred_at");
        a.receivedAt = Sql.instant(row, "received_at");
        a.linkedAt = Sql.instant(row, "linked_at");
        return a;
    }
}
