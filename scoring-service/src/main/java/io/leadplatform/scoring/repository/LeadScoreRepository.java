package io.leadplatform.scoring.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.Stage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Whole {@code lead_score} rows, one lead at a time (the API's reads and sales' moves); batch scoring reads and writes
 * many leads' rows with {@link ScoringBatchRepository}.
 */
@ApplicationScoped
public class LeadScoreRepository {

    private static final TypeReference<List<LeadScore.Contribution>> CONTRIBUTIONS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String SELECT = """
            select lead_id, channel, fit, grade, engagement, temperature, stage, model_version, model_id, mql, mql_reason,
                   contributions, profile::text as profile, updated_at
            from lead_score""";

    private final ObjectMapper mapper;

    public LeadScoreRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The lead's score, null when it has none. */
    public Uni<LeadScore> find(SqlClient c, UUID leadId) {
        return c.preparedQuery(SELECT + " where lead_id = $1").execute(Tuple.of(leadId)).map(this::first);
    }

    /** The lead's score locked until the transaction ends ({@code for update}), null when it has none. */
    public Uni<LeadScore> lock(SqlClient c, UUID leadId) {
        return c.preparedQuery(SELECT + " where lead_id = $1 for update").execute(Tuple.of(leadId)).map(this::first);
    }

    /** The scores of the leads (those that have one), in lead id order. */
    public Uni<List<LeadScore>> find(SqlClient c, UUID[] leadIds) {
        return c.preparedQuery(SELECT + " where lead_id = any($1) order by lead_id").execute(Tuple.of(leadIds)).map(rows -> {
            List<LeadScore> found = new ArrayList<>();
            rows.forEach(r -> found.add(of(r)));
            return found;
        });
    }

    /** Stores the lead's stage (a lifecycle move; nothing else of the row changes). */
    public Uni<Void> updateStage(SqlClient c, LeadScore score) {
        return c.preparedQuery("update lead_score set stage = $2 where lead_id = $1").execute(Tuple.of(score.leadId, score.stage.name()))
                .replaceWithVoid();
    }

    private LeadScore first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : of(rows.iterator().next());
    }

    private LeadScore of(Row r) {
        LeadScore s = new LeadScore();
        s.leadId = r.getUUID("lead_id");
        s.channel = r.getString("channel");
        s.fit = r.getInteger("fit");
        s.grade = r.getString("grade");
        s.engagement = r.getDouble("engagement");
        s.temperature = r.getString("temperature");
        s.stage = Stage.valueOf(r.getString("stage"));
        s.modelVersion = r.getString("model_version");
        s.modelId = r.getUUID("model_id");
        s.mql = r.getBoolean("mql");
        s.mqlReason = r.getString("mql_reason");
        s.updatedAt = r.getOffsetDateTime("updated_at").toInstant();
        try {
            s.contributions = mapper.readValue(r.getString("contributions"), CONTRIBUTIONS);
            s.profile = mapper.readValue(r.getString("profile"), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored score of lead " + s.leadId + " is not readable", e);
        }
        return s;
    }
}
