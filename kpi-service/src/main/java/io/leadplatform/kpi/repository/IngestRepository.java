package io.leadplatform.kpi.repository;

import io.leadplatform.common.persistence.Columns;
import io.leadplatform.kpi.domain.Deal;
import io.leadplatform.kpi.domain.Dims;
import io.leadplatform.kpi.domain.Enrollment;
import io.leadplatform.kpi.domain.LeadFacts;
import io.leadplatform.kpi.domain.Stage;
import io.leadplatform.kpi.domain.Touch;
import io.leadplatform.kpi.service.engine.Delta;
import io.leadplatform.kpi.service.engine.RollupTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The statements of batched ingest, on the reactive PG client inside the caller's transaction: each reads or
 * writes the rows of a whole batch in one statement (arrays and unnest), whatever the batch size.
 */
@ApplicationScoped
public class IngestRepository {

    private static final String CLAIM = """
            insert into processed_event (consumer, event_id, processed_at)
            select $1, id, now() from unnest($2::uuid[]) as t(id)
            on conflict do nothing returning event_id""";
    private static final String ENSURE = "insert into kpi_lead (lead_id) select * from unnest($1::uuid[]) on conflict do nothing";
    private static final String LEAD_COLUMNS = """
            lead_id, captured_at, channel, source, campaign, partner, form, member, subscribed_at, lead_at, mql_at, sql_at,
            opportunity_at, customer_at, recycled_at, disqualified_at, hard_bounced_at, survivor_id, merge_changed_at, erased_at""";
    private static final String LOCK = "select " + LEAD_COLUMNS
            + " from kpi_lead where lead_id = any($1) or survivor_id = any($1) order by lead_id for update";
    private static final String UPSERT_LEADS = "insert into kpi_lead (" + LEAD_COLUMNS + ") select * from unnest("
            + "$1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::timestamptz[],"
            + " $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[],"
            + " $16::timestamptz[], $17::timestamptz[], $18::uuid[], $19::timestamptz[], $20::timestamptz[])"
            + " on conflict (lead_id) do update set captured_at = excluded.captured_at, channel = excluded.channel,"
            + " source = excluded.source, campaign = excluded.campaign, partner = excluded.partner, form = excluded.form,"
            + " member = excluded.member, subscribed_at = excluded.subscribed_at, lead_at = excluded.lead_at, mql_at = excluded.mql_at,"
            + " sql_at = excluded.sql_at, opportunity_at = excluded.opportunity_at, customer_at = excluded.customer_at,"
            + " recycled_at = excluded.recycled_at, disqualified_at = excluded.disqualified_at,"
            + " hard_bounced_at = excluded.hard_bounced_at, survivor_id = excluded.survivor_id,"
            + " merge_changed_at = excluded.merge_changed_at, erased_at = excluded.erased_at";
    private static final String TOUCHES = "select event_id, lead_id, at, channel, campaign from kpi_touch where lead_id = any($1)";
    private static final String DEALS = "select deal_id, lead_id, won, revenue::text, gross_margin::text, currency, closed_at from kpi_deal where lead_id = any($1)";
    private static final String ENROLLMENTS = "select lead_id, sequence_id, first_sent_at from kpi_lead_sequence where lead_id = any($1)";
    private static final String INSERT_TOUCHES = """
            insert into kpi_touch (event_id, lead_id, at, channel, campaign)
            select * from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[]) on conflict do nothing""";
    private static final String UPSERT_DEALS = """
            insert into kpi_deal (deal_id, lead_id, won, revenue, gross_margin, currency, closed_at)
            select * from unnest($1::uuid[], $2::uuid[], $3::bool[], $4::text[]::numeric[], $5::text[]::numeric[], $6::text[], $7::timestamptz[])
            on conflict (deal_id) do update set lead_id = excluded.lead_id, won = excluded.won, revenue = excluded.revenue,
                gross_margin = excluded.gross_margin, currency = excluded.currency, closed_at = excluded.closed_at""";
    private static final String UPSERT_ENROLLMENTS = """
            insert into kpi_lead_sequence (lead_id, sequence_id, first_sent_at)
            select * from unnest($1::uuid[], $2::text[], $3::timestamptz[])
            on conflict (lead_id, sequence_id) do update set first_sent_at = excluded.first_sent_at""";
    private static final String VISITORS = """
            with fresh as (
                insert into website_visitor (grain, period, channel, campaign, visitor_id)
                select * from unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[]) order by 1, 2, 3, 4, 5
                on conflict do nothing returning grain, period, channel, campaign)
            insert into website_visitors (grain, period, channel, campaign, visitors)
            select grain, period, channel, campaign, count(*) from fresh group by 1, 2, 3, 4 order by 1, 2, 3, 4
            on conflict (grain, period, channel, campaign) do update set visitors = website_visitors.visitors + excluded.visitors""";

    private static final Map<RollupTable, String> UPSERTS = new EnumMap<>(RollupTable.class);
    private static final Map<RollupTable, String> MONTHLY_UPSERTS = new EnumMap<>(RollupTable.class);

    static {
        for (RollupTable t : RollupTable.values()) {
            List<String> columns = new ArrayList<>();
            List<String> arrays = new ArrayList<>();
            for (String k : t.keys) {
                columns.add(RollupTable.name(k));
                arrays.add("$" + (arrays.size() + 1) + "::" + RollupTable.type(k) + "[]");
            }
            for (String c : t.counts) {
                columns.add(c);
                arrays.add("$" + (arrays.size() + 1) + "::bigint[]");
            }
            for (String s : t.sums) {
                columns.add(s);
                arrays.add("$" + (arrays.size() + 1) + "::text[]::numeric[]");
            }
            String keys = t.keys.stream().map(RollupTable::name).collect(Collectors.joining(", "));
            String updates = new ArrayList<String>() {{
                addAll(t.counts);
                addAll(t.sums);
            }}.stream().map(c -> c + " = " + t.table + "." + c + " + excluded." + c).collect(Collectors.joining(", "));
            UPSERTS.put(t, "insert into " + t.table + " (" + String.join(", ", columns) + ") select * from unnest("
                    + String.join(", ", arrays) + ") on conflict (" + keys + ") do update set " + updates);
            if (RollupTable.MONTHLY.contains(t)) {
                String monthly = t.table + RollupTable.MONTHLY_SUFFIX;
                MONTHLY_UPSERTS.put(t, UPSERTS.get(t).replace("into " + t.table + " ", "into " + monthly + " ")
                        .replace(t.table + ".", monthly + "."));
            }
        }
    }

    /** Records the events as processed by {@code consumer}; answers those not processed before. */
    public Uni<Set<UUID>> claim(SqlConnection conn, String consumer, UUID[] eventIds) {
        return conn.preparedQuery(CLAIM).execute(Tuple.of(consumer, eventIds)).map(rows -> {
            Set<UUID> fresh = new HashSet<>();
            rows.forEach(r -> fresh.add(r.getUUID(0)));
            return fresh;
        });
    }

    /** Makes sure the leads have a row (so they can be locked), in id order. */
    public Uni<Void> ensure(SqlConnection conn, UUID[] sortedLeadIds) {
        return conn.preparedQuery(ENSURE).execute(Tuple.of((Object) sortedLeadIds)).replaceWithVoid();
    }

    /** Locks and reads the leads and the leads merged into them, in id order. */
    public Uni<List<LeadFacts>> lock(SqlConnection conn, UUID[] leadIds) {
        return conn.preparedQuery(LOCK).execute(Tuple.of((Object) leadIds)).map(rows -> {
            List<LeadFacts> found = new ArrayList<>();
            rows.forEach(r -> found.add(facts(r)));
            return found;
        });
    }

    private static LeadFacts facts(Row r) {
        LeadFacts f = new LeadFacts(r.getUUID("lead_id"));
        f.capturedAt = instant(r, "captured_at");
        f.dims = new Dims(r.getString("channel"), r.getString("source"), r.getString("campaign"), r.getString("partner"), r.getString("form"));
        f.member = r.getBoolean("member");
        f.subscribedAt = instant(r, "subscribed_at");
        for (Stage s : List.of(Stage.LEAD, Stage.MQL, Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER, Stage.RECYCLED, Stage.DISQUALIFIED)) {
            Instant at = instant(r, stageColumn(s));
            if (at != null) {
                f.reached.put(s, at);
            }
        }
        f.hardBouncedAt = instant(r, "hard_bounced_at");
        f.survivorId = r.getUUID("survivor_id");
        f.mergeChangedAt = instant(r, "merge_changed_at");
        f.erasedAt = instant(r, "erased_at");
        return f;
    }

    private static String stageColumn(Stage s) {
        return s.name().toLowerCase(java.util.Locale.ROOT) + "_at";
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    public Uni<Void> upsertLeads(SqlConnection conn, List<LeadFacts> leads) {
        if (leads.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Columns<LeadFacts> c = Columns.of(leads).uuid(f -> f.leadId).time(f -> f.capturedAt).text(f -> f.dims.channel())
                .text(f -> f.dims.source()).text(f -> f.dims.campaign()).text(f -> f.dims.partner()).text(f -> f.dims.form())
                .bool(f -> f.member).time(f -> f.subscribedAt);
        for (Stage s : List.of(Stage.LEAD, Stage.MQL, Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER, Stage.RECYCLED, Stage.DISQUALIFIED)) {
            c.time(f -> f.reached.get(s));
        }
        c.time(f -> f.hardBouncedAt).uuid(f -> f.survivorId).time(f -> f.mergeChangedAt).time(f -> f.erasedAt);
        return conn.preparedQuery(UPSERT_LEADS).execute(c.tuple()).replaceWithVoid();
    }

    /** Touches, deals and enrolments of the leads. */
    public record Details(List<Touch> touches, List<Deal> deals, List<Enrollment> enrollments) {
    }

    public Uni<Details> details(SqlConnection conn, UUID[] leadIds) {
        Tuple ids = Tuple.of((Object) leadIds);
        Uni<List<Touch>> touches = conn.preparedQuery(TOUCHES).execute(ids).map(rows -> {
            List<Touch> list = new ArrayList<>();
            rows.forEach(r -> list.add(new Touch(r.getUUID(0), r.getUUID(1), r.getOffsetDateTime(2).toInstant(), r.getString(3), r.getString(4))));
            return list;
        });
        Uni<List<Deal>> deals = conn.preparedQuery(DEALS).execute(ids).map(rows -> {
            List<Deal> list = new ArrayList<>();
            rows.forEach(r -> list.add(new Deal(r.getUUID(0), r.getUUID(1), r.getBoolean(2), new BigDecimal(r.getString(3)),
                    new BigDecimal(r.getString(4)), r.getString(5), r.getOffsetDateTime(6).toInstant())));
            return list;
        });
        Uni<List<Enrollment>> enrollments = conn.preparedQuery(ENROLLMENTS).execute(ids).map(rows -> {
            List<Enrollment> list = new ArrayList<>();
            rows.forEach(r -> list.add(new Enrollment(r.getUUID(0), r.getString(1), r.getOffsetDateTime(2).toInstant())));
            return list;
        });
        return Uni.combine().all().unis(touches, deals, enrollments).asTuple()
                .map(t -> new Details(t.getItem1(), t.getItem2(), t.getItem3()));
    }

    public Uni<Void> insertTouches(SqlConnection conn, List<Touch> touches) {
        if (touches.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(INSERT_TOUCHES).execute(Columns.of(touches).uuid(Touch::eventId).uuid(Touch::leadId).time(Touch::at)
                .text(Touch::channel).text(Touch::campaign).tuple()).replaceWithVoid();
    }

    public Uni<Void> upsertDeals(SqlConnection conn, List<Deal> deals) {
        if (deals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(UPSERT_DEALS).execute(Columns.of(deals).uuid(Deal::dealId).uuid(Deal::leadId).bool(Deal::won)
                .text(d -> d.revenue().toPlainString()).text(d -> d.grossMargin().toPlainString()).text(Deal::currency)
                .time(Deal::closedAt).tuple()).replaceWithVoid();
    }

    public Uni<Void> upsertEnrollments(SqlConnection conn, List<Enrollment> enrollments) {
        if (enrollments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(UPSERT_ENROLLMENTS).execute(Columns.of(enrollments).uuid(Enrollment::leadId)
                .text(Enrollment::sequenceId).time(Enrollment::firstSentAt).tuple()).replaceWithVoid();
    }

    /** A visitor seen in a bucket (grain d/w/m/q, bucket start) under a channel and campaign ('*' = any). */
    public record VisitorSighting(String grain, LocalDate period, String channel, String campaign, String visitorId) {
    }

    /** Adds the visitors not yet seen in their bucket to the bucket's count. */
    public Uni<Void> visitors(SqlConnection conn, List<VisitorSighting> sightings) {
        if (sightings.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(VISITORS).execute(Columns.of(sightings).text(VisitorSighting::grain).tuple()
                .addValue(sightings.stream().map(VisitorSighting::period).toArray(LocalDate[]::new))
                .addValue(array(sightings, String.class, VisitorSighting::channel))
                .addValue(array(sightings, String.class, VisitorSighting::campaign))
                .addValue(array(sightings, String.class, VisitorSighting::visitorId))).replaceWithVoid();
    }

    /**
     * The statements adding the delta's rows to the rollup tables, one per table, tables and rows in a fixed order;
     * subscribed together they are pipelined on the connection.
     */
    public List<Uni<Void>> apply(SqlConnection conn, Delta delta) {
        return apply(conn, delta, false);
    }

    /** The same for the monthly tables ({@code monthly}: the delta's keys are months, see {@link Delta#monthly()}). */
    public List<Uni<Void>> apply(SqlConnection conn, Delta delta, boolean monthly) {
        List<Uni<Void>> statements = new ArrayList<>();
        for (RollupTable table : RollupTable.values()) {
            List<Map.Entry<List<Object>, Delta.Amounts>> rows = delta.rows(table);
            if (rows.isEmpty()) {
                continue;
            }
            Tuple params = Tuple.tuple();
            for (int k = 0; k < table.keys.size(); k++) {
                int col = k;
                String type = RollupTable.type(table.keys.get(k));
                Class<?> cls = switch (type) {
                    case "date" -> LocalDate.class;
                    case "int" -> Integer.class;
                    default -> String.class;
                };
                params.addValue(array(rows, cls, e -> e.getKey().get(col)));
            }
            for (int c = 0; c < table.counts.size(); c++) {
                int col = c;
                params.addValue(array(rows, Long.class, e -> e.getValue().counts[col]));
            }
            for (int s = 0; s < table.sums.size(); s++) {
                int col = s;
                params.addValue(array(rows, String.class, e -> e.getValue().sums[col].toPlainString()));
            }
            String sql = monthly ? MONTHLY_UPSERTS.get(table) : UPSERTS.get(table);
            statements.add(conn.preparedQuery(sql).execute(params).replaceWithVoid());
        }
        return statements;
    }

    @SuppressWarnings("unchecked")
    private static <T, V> V[] array(List<T> rows, Class<?> type, Function<T, Object> column) {
        V[] values = (V[]) Array.newInstance(type, rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = (V) column.apply(rows.get(i));
        }
        return values;
    }
}
