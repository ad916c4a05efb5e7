package io.leadplatform.nurturing.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.nurturing.domain.Sequence;
import io.leadplatform.nurturing.domain.SequenceDefinition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leadplatform.nurturing.repository.ContactRepository.instant;

/** Sequences and their immutable versions. */
@ApplicationScoped
public class SequenceRepository {

    private static final String SELECT = """
            select s.id, v.version, s.current_version, v.definition::text as definition, v.created_at
            from sequence s join sequence_version v on v.sequence_id = s.id""";

    private final ObjectMapper mapper;

    public SequenceRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Uni<Void> create(SqlClient c, UUID id, SequenceDefinition d, String by) {
        return c.preparedQuery("insert into sequence (id, name, current_version, created_at, updated_at) values ($1, $2, 1, now(), now())")
                .execute(Tuple.of(id, d.name()))
                .chain(() -> insertVersion(c, id, 1, d, by));
    }

    /** Adds the next version and makes it current; answers the new version, or null when the sequence is unknown. */
    public Uni<Integer> addVersion(SqlClient c, UUID id, SequenceDefinition d, String by) {
        return c.preparedQuery("update sequence set current_version = current_version + 1, name = $2, updated_at = now() where id = $1 returning current_version")
                .execute(Tuple.of(id, d.name()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    int version = rows.iterator().next().getInteger("current_version");
                    return insertVersion(c, id, version, d, by).replaceWith(version);
                });
    }

    private Uni<Void> insertVersion(SqlClient c, UUID id, int version, SequenceDefinition d, String by) {
        return c.preparedQuery("insert into sequence_version (sequence_id, version, definition, created_at, created_by) values ($1, $2, $3::text::jsonb, now(), $4)")
                .execute(Tuple.of(id, version, json(d), by)).replaceWithVoid();
    }

    /** A version (null: the current one). */
    public Uni<Sequence> find(SqlClient c, UUID id, Integer version) {
        String where = version == null ? " where s.id = $1 and v.version = s.current_version" : " where s.id = $1 and v.version = $2";
        Tuple args = version == null ? Tuple.of(id) : Tuple.of(id, version);
        return c.preparedQuery(SELECT + where).execute(args).map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    public Uni<List<Sequence>> listCurrent(SqlClient c) {
        return c.query(SELECT + " where v.version = s.current_version order by s.created_at").execute().map(this::all);
    }

    /** Current versions whose trigger lists the stage. */
    public Uni<List<Sequence>> triggeredByStage(SqlClient c, String stage) {
        return c.preparedQuery(SELECT + " where v.version = s.current_version and v.definition->'trigger'->'stages' ? $1")
                .execute(Tuple.of(stage)).map(this::all);
    }

    /** Current versions whose trigger lists the form. */
    public Uni<List<Sequence>> triggeredByForm(SqlClient c, String form) {
        return c.preparedQuery(SELECT + " where v.version = s.current_version and v.definition->'trigger'->'forms' ? $1")
                .execute(Tuple.of(form)).map(this::all);
    }

    /** The versions named by "id/version" keys. */
    public Uni<Map<String, Sequence>> versions(SqlClient c, UUID[] ids, Integer[] versions) {
        return c.preparedQuery(SELECT + " join unnest($1::uuid[], $2::int[]) as k(id, version) on k.id = v.sequence_id and k.version = v.version")
                .execute(Tuple.of(ids, versions)).map(rows -> {
                    Map<String, Sequence> out = new HashMap<>();
                    rows.forEach(r -> {
                        Sequence s = of(r);
                        out.put(key(s.id(), s.version()), s);
                    });
                    return out;
                });
    }

    public static String key(UUID id, int version) {
        return id + "/" + version;
    }

    private List<Sequence> all(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Sequence> out = new ArrayList<>();
        rows.forEach(r -> out.add(of(r)));
        return out;
    }

    private Sequence of(Row r) {
        try {
            return new Sequence(r.getUUID("id"), r.getInteger("version"), r.getInteger("current_version"),
                    mapper.readValue(r.getString("definition"), SequenceDefinition.class), instant(r, "created_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored sequence definition cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private String json(SequenceDefinition d) {
        try {
            return mapper.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
