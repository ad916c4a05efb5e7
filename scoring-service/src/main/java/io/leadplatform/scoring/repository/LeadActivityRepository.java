package io.leadplatform.scoring.repository;

import io.leadplatform.scoring.service.engine.Activity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads of stored activities ({@code lead_activity}) per lead in time order; batch scoring inserts and re-keys them. */
@ApplicationScoped
public class LeadActivityRepository {

    private static final String COLUMNS = "event_id, lead_id, activity_type, occurred_at, url, asset, duration_seconds, bot";
    private static final String HISTORY = "select " + COLUMNS + " from lead_activity where lead_id = any($1) order by lead_id, occurred_at, event_id";
    private static final String BETWEEN = "select " + COLUMNS
            + " from lead_activity where occurred_at >= $1 and occurred_at < $2 order by lead_id, occurred_at, event_id";

    /** The whole stored history of the leads, per lead in time order (leads without activities are missing). */
    public Uni<Map<UUID, List<Activity>>> history(SqlClient c, UUID[] leadIds) {
        if (leadIds.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery(HISTORY).execute(Tuple.of(leadIds)).map(LeadActivityRepository::byLead);
    }

    /** The activities of [from, to), per lead (in lead id order) in time order: what a backtest replays. */
    public Uni<Map<UUID, List<Activity>>> between(SqlClient c, Instant from, Instant to) {
        return c.preparedQuery(BETWEEN).execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(LeadActivityRepository::byLead);
    }

    private static Map<UUID, List<Activity>> byLead(RowSet<Row> rows) {
        Map<UUID, List<Activity>> byLead = new LinkedHashMap<>();
        rows.forEach(r -> byLead.computeIfAbsent(r.getUUID("lead_id"), k -> new ArrayList<>()).add(new Activity(
                r.getUUID("event_id"), r.getString("activity_type"), r.getOffsetDateTime("occurred_at").toInstant(),
                r.getString("url"), r.getString("asset"), r.getInteger("duration_seconds"), r.getBoolean("bot"))));
        return byLead;
    }
}
