package io.leadplatform.scoring.repository;

import io.leadplatform.scoring.domain.ScoringModel;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Scoring model versions ({@code scoring_model}); a saved version is never updated, only (de)activated by {@link RescoreJobRepository}. */
@ApplicationScoped
public class ScoringModelRepository {

    /** The columns {@link #of} reads, for every statement that reads models (also joined, as {@code m.}). */
    static final String COLUMNS = "id, name, version, definition, active, created_at, created_by";
    private static final String SELECT = "select " + COLUMNS + " from scoring_model";
    private static final String INSERT = """
            insert into scoring_model (id, name, version, definition, active, created_at, created_by)
            values ($1, $2, $3, $4, $5, $6, $7)""";

    /** The model of that id, null when there is none. */
    public Uni<ScoringModel> find(SqlClient c, UUID id) {
        return c.preparedQuery(SELECT + " where id = $1").execute(Tuple.of(id)).map(ScoringModelRepository::first);
    }

    /** Models by id. */
    public Uni<Map<UUID, ScoringModel>> find(SqlClient c, UUID[] ids) {
        return c.preparedQuery(SELECT + " where id = any($1)").execute(Tuple.of(ids)).map(rows -> {
            Map<UUID, ScoringModel> found = new LinkedHashMap<>();
            rows.forEach(r -> found.put(r.getUUID("id"), of(r)));
            return found;
        });
    }

    /** The active model, null when none is (the migration activates one, so only a broken database has none). */
    public Uni<ScoringModel> active(SqlClient c) {
        return c.query(SELECT + " where active").execute().map(ScoringModelRepository::first);
    }

    public Uni<List<ScoringModel>> all(SqlClient c) {
        return c.query(SELECT + " order by name, version").execute().map(rows -> {
            List<ScoringModel> all = new ArrayList<>();
            rows.forEach(r -> all.add(of(r)));
            return all;
        });
    }

    /** The highest saved version of the name, 0 for a new name. */
    public Uni<Integer> latestVersion(SqlClient c, String name) {
        return c.preparedQuery("select max(version) from scoring_model where name = $1").execute(Tuple.of(name))
                .map(rows -> {
                    Integer v = rows.iterator().next().getInteger(0);
                    return v == null ? 0 : v;
                });
    }

    public Uni<Void> insert(SqlClient c, ScoringModel m) {
        return c.preparedQuery(INSERT).execute(Tuple.from(List.of(m.id, m.name, m.version, m.definition, m.active,
                m.createdAt.atOffset(ZoneOffset.UTC), m.createdBy))).replaceWithVoid();
    }

    private static ScoringModel first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : of(rows.iterator().next());
    }

    /** A model from a row holding {@link #COLUMNS}. */
    static ScoringModel of(Row r) {
        ScoringModel m = new ScoringModel();
        m.id = r.getUUID("id");
        m.name = r.getString("name");
        m.version = r.getInteger("version");
        m.definition = r.getString("definition");
        m.active = r.getBoolean("active");
        OffsetDateTime created = r.getOffsetDateTime("created_at");
        m.createdAt = created == null ? null : created.toInstant();
        m.createdBy = r.getString("created_by");
        return m;
    }
}
