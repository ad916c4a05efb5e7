package io.leadplatform.scoring.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.service.engine.Activity;
import io.leadplatform.common.persistence.Columns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The statements of batch scoring, on the reactive PG client inside the caller's transaction: each reads
 * or writes the rows of a whole batch in one round trip (arrays and unnest), whatever the batch size.
 */
@ApplicationScoped
public class ScoringBatchRepository {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static final String CLAIM = """
            insert into processed_event (consumer, event_id, processed_at)
            select $1, id, now() from unnest($2::uuid[]) as t(id)
            on conflict do nothing returning event_id""";
    private static final String INSERT_ACTIVITIES = """
            insert into lead_activity (event_id, lead_id, activity_type, occurred_at, url, asset, duration_seconds, bot, merged_from)
            select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::int[], $8::bool[],
                                 $9::uuid[])
            on conflict (event_id) do nothing returning event_id""";
    private static final String SURVIVORS = "select lead_id, survivor_id from lead_merge where lead_id = any($1) and not undone";
    private static final String MERGE_STATE = "select undone from lead_merge where merge_id = $1 for update";
    private static final String RECORD_MERGE = """
            insert into lead_merge (merge_id, lead_id, survivor_id, merged_at, undone) values ($1, $2, $3, $4, $5)
            on conflict (merge_id) do update set undone = excluded.undone""";
    private static final String MOVE_ACTIVITIES = "update lead_activity set lead_id = $2, merged_from = $1 where lead_id = $1";
    private static final String MOVE_TRANSITIONS = "update stage_transition set lead_id = $2, merged_from = $1 where lead_id = $1";
    private static final String MARK_MERGED = """
            update lead_score set merged_into = case when lead_id = $1 then $2 else merged_into end, engagement_state = null
            where lead_id in ($1, $2)""";
    private static final String MOVE_ACTIVITIES_BACK = "update lead_activity set lead_id = $1, merged_from = null where lead_id = $2 and merged_from = $1";
    private static final String MOVE_TRANSITIONS_BACK = "update stage_transition set lead_id = $1, merged_from = null where lead_id = $2 and merged_from = $1";
    private static final String MARK_UNMERGED = """
            update lead_score set merged_into = case when lead_id = $1 then null else merged_into end, engagement_state = null
            where lead_id in ($1, $2)""";
    private static final String LEAD_COLUMNS = "lead_id, channel, stage, model_id, profile::text as profile, engagement_state, merged_into";
    private static final String LOCK = "select " + LEAD_COLUMNS + " from lead_score where lead_id = any($1) order by lead_id for update";
    private static final String LOCK_RANGE = "select " + LEAD_COLUMNS + """
             from lead_score where lead_id >= $1 and ($2::uuid is null or lead_id < $2) and merged_into is null
            order by lead_id for update""";
    private static final String MQLS = "select " + LEAD_COLUMNS
            + " from lead_score where stage = 'MQL' and merged_into is null and lead_id > $1 order by lead_id limit $2";
    private static final String UPSERT_SCORES = """
            insert into lead_score (lead_id, channel, fit, grade, engagement, temperature, stage, model_version, model_id,
                                    contributions, profile, updated_at, mql, mql_reason, engagement_state)
            select l, c, f, g, e, t, s, mv, mi, co, p::jsonb, u, m, mr, es
            from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::text[],
                        $9::uuid[], $10::text[], $11::text[], $12::timestamptz[], $13::bool[], $14::text[], $15::text[])
                 as x(l, c, f, g, e, t, s, mv, mi, co, p, u, m, mr, es)
            on conflict (lead_id) do update set channel = excluded.channel, fit = excluded.fit, grade = excluded.grade,
                engagement = excluded.engagement, temperature = excluded.temperature, stage = excluded.stage,
                model_version = excluded.model_version, model_id = excluded.model_id, contributions = excluded.contributions,
                profile = excluded.profile, updated_at = excluded.updated_at, mql = excluded.mql, mql_reason = excluded.mql_reason,
                engagement_state = excluded.engagement_state""";
    /**
     * The advisory lock that orders scoring against activations: every scoring transaction holds it shared from its
     * start, an activation exclusively. So a transaction that read the old active model commits before the
     * activation does, and the leads it creates are in the activation's rescoring job.
     */
    static final long ACTIVE_MODEL_LOCK = 0x5C0_41E_AC7L;
    private static final String HOLD_ACTIVE_MODEL = "select pg_advisory_xact_lock_shared($1)";
    private final ObjectMapper mapper;

    public ScoringBatchRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A locked lead_score row: the score (profile read, stage, channel, model), its engagement sums as stored text,
     * and the lead it was merged into (null while it stands on its own).
     */
    public record StoredLead(LeadScore score, String profileJson, String engagementState, UUID mergedInto) {
    }

    /** A lead_score row to write: the score, its profile as stored JSON (null: serialise the score's), its engagement sums. */
    public record ScoreRow(LeadScore score, String profileJson, String engagementState) {
    }

    /**
     * Holds the active model (shared) until the transaction ends: no activation commits meanwhile. Taken first, before
     * any row lock, so a transaction waiting for it (behind an activation) holds nothing an activation or a rescoring
     * chunk could wait for.
     */
    public Uni<Void> holdActiveModel(SqlConnection conn) {
        return conn.preparedQuery(HOLD_ACTIVE_MODEL).execute(Tuple.of(ACTIVE_MODEL_LOCK)).replaceWithVoid();
    }

    /** Records the events as processed by {@code consumer}; answers those not processed before (the others are redeliveries). */
    public Uni<Set<UUID>> claim(SqlConnection conn, String consumer, UUID[] eventIds) {
        return conn.preparedQuery(CLAIM).execute(Tuple.of(consumer, eventIds)).map(rows -> {
            Set<UUID> fresh = new HashSet<>();
            rows.forEach(r -> fresh.add(r.getUUID(0)));
            return fresh;
        });
    }

    /** The survivor of each of the leads that is merged into another (merge not undone). */
    public Uni<Map<UUID, UUID>> survivors(SqlConnection conn, UUID[] leadIds) {
        return conn.preparedQuery(SURVIVORS).execute(Tuple.of(leadIds)).map(rows -> {
            Map<UUID, UUID> found = new HashMap<>();
            rows.forEach(r -> found.put(r.getUUID("lead_id"), r.getUUID("survivor_id")));
            return found;
        });
    }

    /** Whether the merge is recorded as undone (locked), null when it is not recorded yet. */
    public Uni<Boolean> mergeUndone(SqlConnection conn, UUID mergeId) {
        return conn.preparedQuery(MERGE_STATE).execute(Tuple.of(mergeId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBoolean("undone"));
    }

    public Uni<Void> recordMerge(SqlConnection conn, UUID mergeId, UUID leadId, UUID survivorId, Instant mergedAt, boolean undone) {
        return conn.preparedQuery(RECORD_MERGE)
                .execute(Tuple.from(List.of(mergeId, leadId, survivorId, mergedAt.atOffset(ZoneOffset.UTC), undone))).replaceWithVoid();
    }

    /**
     * Re-keys the merged lead's activities and stage history onto the survivor (remembering where they came
     * from), marks its score row merged and both leads' engagement sums stale (rescored from history).
     */
    public Uni<Void> merge(SqlConnection conn, UUID leadId, UUID survivorId) {
        Tuple ids = Tuple.of(leadId, survivorId);
        return Uni.combine().all().unis(conn.preparedQuery(MOVE_ACTIVITIES).execute(ids), conn.preparedQuery(MOVE_TRANSITIONS).execute(ids),
                conn.preparedQuery(MARK_MERGED).execute(ids)).discardItems();
    }

    /** Reverses {@link #merge}: what the merge moved goes back to the lead, which stands on its own again. */
    public Uni<Void> unmerge(SqlConnection conn, UUID leadId, UUID survivorId) {
        Tuple ids = Tuple.of(leadId, survivorId);
        return Uni.combine().all().unis(conn.preparedQuery(MOVE_ACTIVITIES_BACK).execute(ids),
                conn.preparedQuery(MOVE_TRANSITIONS_BACK).execute(ids), conn.preparedQuery(MARK_UNMERGED).execute(ids)).discardItems();
    }

    /**
     * Stores activities ({@code mergedFrom}: the lead an activity was sent for when it is stored on that lead's
     * survivor, else null); answers the event ids actually inserted (an id already stored is skipped).
     */
    public Uni<Set<UUID>> insertActivities(SqlConnection conn, List<UUID> leadIds, List<Activity> activities, List<UUID> mergedFrom) {
        if (activities.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        // leadIds runs parallel to activities: the columns are read by position
        List<Integer> positions = IntStream.range(0, activities.size()).boxed().toList();
        Tuple params = Columns.of(positions).uuid(i -> activities.get(i).eventId()).uuid(leadIds::get)
                .text(i -> activities.get(i).type()).time(i -> activities.get(i).occurredAt()).text(i -> activities.get(i).url())
                .text(i -> activities.get(i).asset()).integer(i -> activities.get(i).durationSeconds())
                .bool(i -> activities.get(i).bot()).uuid(mergedFrom::get).tuple();
        return conn.preparedQuery(INSERT_ACTIVITIES).execute(params).map(rows -> {
            Set<UUID> inserted = new HashSet<>();
            rows.forEach(r -> inserted.add(r.getUUID(0)));
            return inserted;
        });
    }

    /** Locks the leads' score rows in lead id order (two batches touching the same leads cannot deadlock); absent leads are missing. */
    public Uni<Map<UUID, StoredLead>> lock(SqlConnection conn, UUID[] leadIds) {
        return conn.preparedQuery(LOCK).execute(Tuple.of(leadIds)).map(this::leads);
    }

    /** Locks the score rows of the leads (not merged) in [from, to) (to null: no end), in lead id order. */
    public Uni<Map<UUID, StoredLead>> lockRange(SqlConnection conn, UUID from, UUID to) {
        return conn.preparedQuery(LOCK_RANGE).execute(Tuple.tuple().addUUID(from).addUUID(to)).map(this::leads);
    }

    /** The next MQLs after {@code after} in lead id order, at most {@code limit}, not locked. */
    public Uni<Map<UUID, StoredLead>> mqls(SqlConnection conn, UUID after, int limit) {
        return conn.preparedQuery(MQLS).execute(Tuple.of(after, limit)).map(this::leads);
    }

    private Map<UUID, StoredLead> leads(RowSet<Row> rows) {
        Map<UUID, StoredLead> found = new LinkedHashMap<>();
        for (Row r : rows) {
            LeadScore score = new LeadScore();
            score.leadId = r.getUUID("lead_id");
            score.channel = r.getString("channel");
            score.stage = Stage.valueOf(r.getString("stage"));
            score.modelId = r.getUUID("model_id");
            String profile = r.getString("profile");
            try {
                score.profile = mapper.readValue(profile, MAP);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored profile of lead " + score.leadId + " is not readable", e);
            }
            found.put(score.leadId, new StoredLead(score, profile, r.getString("engagement_state"), r.getUUID("merged_into")));
        }
        return found;
    }

    /** Inserts new leads' scores and updates the others, all columns, in one statement. */
    public Uni<Void> upsertScores(SqlConnection conn, List<ScoreRow> scores) {
        if (scores.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Columns.of(scores).uuid(r -> r.score().leadId).text(r -> r.score().channel).integer(r -> r.score().fit)
                .text(r -> r.score().grade).real(r -> r.score().engagement).text(r -> r.score().temperature)
                .text(r -> r.score().stage.name()).text(r -> r.score().modelVersion).uuid(r -> r.score().modelId)
                .text(r -> json(r.score().contributions))
                .text(r -> r.profileJson() != null ? r.profileJson() : json(r.score().profile))
                .time(r -> r.score().updatedAt).bool(r -> r.score().mql).text(r -> r.score().mqlReason)
                .text(ScoreRow::engagementState).tuple();
        return conn.preparedQuery(UPSERT_SCORES).execute(params).replaceWithVoid();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
