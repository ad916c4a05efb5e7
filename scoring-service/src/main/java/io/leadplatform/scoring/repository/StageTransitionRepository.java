package io.leadplatform.scoring.repository;

import io.leadplatform.common.persistence.Columns;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The stage history ({@code stage_transition}, append-only). */
@ApplicationScoped
public class StageTransitionRepository {

    private static final String INSERT = """
            insert into stage_transition (lead_id, from_stage, to_stage, reason, actor, changed_at)
            select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])""";
    private static final String HISTORY = """
            select lead_id, from_stage, to_stage, reason, actor, changed_at from stage_transition where lead_id = $1 order by id""";

    /** Inserts the transitions with one statement, in list order (their ids follow it). */
    public Uni<Void> insertAll(SqlClient c, List<StageTransition> transitions) {
        if (transitions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery(INSERT)
                .execute(Columns.of(transitions).uuid(t -> t.leadId).text(t -> t.fromStage == null ? null : t.fromStage.name())
                        .text(t -> t.toStage.name()).text(t -> t.reason).text(t -> t.actor).time(t -> t.changedAt).tuple())
                .replaceWithVoid();
    }

    /** The lead's transitions, oldest first. */
    public Uni<List<StageTransition>> history(SqlClient c, UUID leadId) {
        return c.preparedQuery(HISTORY).execute(Tuple.of(leadId)).map(rows -> {
            List<StageTransition> list = new ArrayList<>();
            rows.forEach(r -> {
                StageTransition t = new StageTransition();
                t.leadId = r.getUUID("lead_id");
                String from = r.getString("from_stage");
                t.fromStage = from == null ? null : Stage.valueOf(from);
                t.toStage = Stage.valueOf(r.getString("to_stage"));
                t.reason = r.getString("reason");
                t.actor = r.getString("actor");
                t.changedAt = r.getOffsetDateTime("changed_at").toInstant();
                list.add(t);
            });
            return list;
        });
    }

    /** Every stage each of the leads has reached (leads without transitions are missing). */
    public Uni<Map<UUID, Set<Stage>>> reached(SqlClient c, UUID[] leadIds) {
        return c.preparedQuery("select distinct lead_id, to_stage from stage_transition where lead_id = any($1)").execute(Tuple.of(leadIds))
                .map(rows -> {
                    Map<UUID, Set<Stage>> reached = new HashMap<>();
                    rows.forEach(r -> reached.computeIfAbsent(r.getUUID("lead_id"), k -> EnumSet.noneOf(Stage.class))
                            .add(Stage.valueOf(r.getString("to_stage"))));
                    return reached;
                });
    }
}
