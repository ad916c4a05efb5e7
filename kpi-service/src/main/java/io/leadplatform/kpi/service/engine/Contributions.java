package io.leadplatform.kpi.service.engine;

import io.leadplatform.kpi.domain.Deal;
import io.leadplatform.kpi.domain.Dims;
import io.leadplatform.kpi.domain.Enrollment;
import io.leadplatform.kpi.domain.LeadFacts;
import io.leadplatform.kpi.domain.Stage;
import io.leadplatform.kpi.domain.Touch;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one lead, with every lead merged into it, adds to the rollups. A pure function of the facts: the
 * ingest subtracts a group's contribution before a batch changes it and adds it afterwards.
 * <p>
 * A group is a surviving lead (the root) and the leads merged into it: it counts as one lead, under the
 * root's capture (day and dimensions); its stage times, hard bounce, subscription, touches, deals and
 * sequence enrolments are the union of its members'. A lead merged away contributes nothing by itself.
 */
public final class Contributions {

    /** Duration metrics (histograms per capture day), and the days from capture to a partner credit. */
    public static final String LEAD_TO_MQL = "lead_to_mql";
    public static final String MQL_TO_SQL = "mql_to_sql";
    public static final String SQL_TO_OPPORTUNITY = "sql_to_opportunity";
    public static final String OPPORTUNITY_TO_CUSTOMER = "opportunity_to_customer";
    public static final String LEAD_TO_CUSTOMER = "lead_to_customer";
    public static final String PARTNER_CREDIT_DAYS = "partner_credit_days";
    public static final List<String> STAGE_METRICS = List.of(LEAD_TO_MQL, MQL_TO_SQL, SQL_TO_OPPORTUNITY, OPPORTUNITY_TO_CUSTOMER, LEAD_TO_CUSTOMER);

    private static final String[] FUNNEL_COLUMNS = {"leads", "mql", "sql", "opportunity", "customers"};

    private final Duration halfLife;

    public Contributions(Duration timeDecayHalfLife) {
        this.halfLife = timeDecayHalfLife;
    }

    /** A group: the root lead (not merged away), all its members (root included) and their details. */
    public record Group(LeadFacts root, List<LeadFacts> members, List<Touch> touches, List<Deal> deals, List<Enrollment> enrollments) {
    }

    public static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /** The stage times of the group: the earliest per stage; reaching a funnel stage implies the earlier ones. */
    public static Map<Stage, Instant> stageTimes(Group g) {
        Map<Stage, Instant> at = new EnumMap<>(Stage.class);
        for (LeadFacts m : g.members()) {
            m.reached.forEach((stage, time) -> at.merge(stage, time, LeadFacts::earliest));
        }
        if (g.root().capturedAt != null) {
            at.merge(Stage.LEAD, g.root().capturedAt, LeadFacts::earliest);
        }
        for (int i = Stage.FUNNEL.length - 2; i >= 0; i--) {
            Instant later = at.get(Stage.FUNNEL[i + 1]);
            if (later != null) {
                at.merge(Stage.FUNNEL[i], later, LeadFacts::earliest);
            }
        }
        return at;
    }

    public Delta of(Group g) {
        Delta d = new Delta();
        LeadFacts root = g.root();
        Map<Stage, Instant> at = stageTimes(g);
        if (root.capturedAt != null) {
            leadRows(g, at, d);
        }
        enrollments(g, at, d);
        attribution(g, d);
        return d;
    }

    private static List<Object> dimKey(LocalDate day, Dims dims) {
        return List.of(day, dims.channel(), dims.source(), dims.campaign(), dims.partner(), dims.form());
    }

    private void leadRows(Group g, Map<Stage, Instant> at, Delta d) {
        LeadFacts root = g.root();
        Dims dims = root.dims;
        LocalDate cohort = day(root.capturedAt);
        List<Object> key = dimKey(cohort, dims);
        for (int i = 0; i < Stage.FUNNEL.length; i++) {
            if (at.containsKey(Stage.FUNNEL[i])) {
                d.count(RollupTable.LEAD, key, FUNNEL_COLUMNS[i], 1);
            }
        }
        if (root.member) {
            d.count(RollupTable.LEAD, key, "members", 1);
        }
        if (at.containsKey(Stage.RECYCLED)) {
            d.count(RollupTable.LEAD, key, "recycled", 1);
        }
        if (at.containsKey(Stage.DISQUALIFIED)) {
            d.count(RollupTable.LEAD, key, "disqualified", 1);
        }
        Instant subscribed = null;
        for (LeadFacts m : g.members()) {
            subscribed = LeadFacts.earliest(subscribed, m.subscribedAt);
        }
        if (subscribed != null) {
            d.count(RollupTable.LEAD, dimKey(day(subscribed), dims), "subscribers", 1);
        }
        duration(d, cohort, dims, LEAD_TO_MQL, root.capturedAt, at.get(Stage.MQL));
        duration(d, cohort, dims, MQL_TO_SQL, at.get(Stage.MQL), at.get(Stage.SQL));
        duration(d, cohort, dims, SQL_TO_OPPORTUNITY, at.get(Stage.SQL), at.get(Stage.OPPORTUNITY));
        duration(d, cohort, dims, OPPORTUNITY_TO_CUSTOMER, at.get(Stage.OPPORTUNITY), at.get(Stage.CUSTOMER));
        duration(d, cohort, dims, LEAD_TO_CUSTOMER, root.capturedAt, at.get(Stage.CUSTOMER));
        if ("webhook".equals(dims.source()) && !dims.partner().isEmpty()) {
            Instant credit = at.get(Stage.DISQUALIFIED);
            for (LeadFacts m : g.members()) {
                credit = LeadFacts.earliest(credit, m.hardBouncedAt);
            }
            if (credit != null) {
                long days = Math.max(0, Duration.between(root.capturedAt, credit).toDays());
                d.count(RollupTable.DURATION, durationKey(cohort, dims, PARTNER_CREDIT_DAYS, (int) Math.min(days, Integer.MAX_VALUE)), "leads", 1);
            }
        }
        for (Deal deal : wonDeals(g)) {
            List<Object> dealKey = List.of(cohort, dims.channel(), dims.source(), dims.campaign(), dims.partner(), dims.form(),
                    deal.currency(), day(deal.closedAt()).withDayOfMonth(1));
            d.count(RollupTable.DEAL, dealKey, "deals", 1);
            d.sum(RollupTable.DEAL, dealKey, "revenue", deal.revenue());
            d.sum(RollupTable.DEAL, dealKey, "gross_margin", deal.grossMargin());
        }
    }

    private static List<Object> durationKey(LocalDate cohort, Dims dims, String metric, int bucket) {
        return List.of(cohort, metric, dims.channel(), dims.source(), dims.campaign(), dims.partner(), dims.form(), bucket);
    }

    private static void duration(Delta d, LocalDate cohort, Dims dims, String metric, Instant from, Instant to) {
        if (from != null && to != null) {
            long seconds = Math.max(0, Duration.between(from, to).toSeconds());
            d.count(RollupTable.DURATION, durationKey(cohort, dims, metric, Durations.bucket(seconds)), "leads", 1);
        }
    }

    private static List<Deal> wonDeals(Group g) {
        return g.deals().stream().filter(Deal::won)
                .sorted(Comparator.comparing(Deal::closedAt).thenComparing(Deal::dealId)).toList();
    }

    private static void enrollments(Group g, Map<Stage, Instant> at, Delta d) {
        Map<String, Instant> first = new HashMap<>();
        for (Enrollment e : g.enrollments()) {
            first.merge(e.sequenceId(), e.firstSentAt(), LeadFacts::earliest);
        }
        first.forEach((sequence, sent) -> {
            List<Object> key = List.of(day(sent), sequence);
            d.count(RollupTable.SEQUENCE, key, "enrolled", 1);
            Instant mql = at.get(Stage.MQL);
            if (mql != null && mql.isAfter(sent)) {
                d.count(RollupTable.SEQUENCE, key, "mql", 1);
            }
            Instant sql = at.get(Stage.SQL);
            if (sql != null && sql.isAfter(sent)) {
                d.count(RollupTable.SEQUENCE, key, "sql", 1);
            }
        });
    }

    private void attribution(Group g, Delta d) {
        List<Deal> won = wonDeals(g);
        if (won.isEmpty()) {
            return;
        }
        List<Touch> touches = new ArrayList<>(g.touches());
        touches.sort(Comparator.comparing(Touch::at).thenComparing(Touch::eventId));
        boolean firstDeal = true;
        for (Deal deal : won) {
            List<Touch> before = touches.stream().filter(t -> !t.at().isAfter(deal.closedAt())).toList();
            if (before.isEmpty()) {
                Dims dims = g.root().dims;
                before = List.of(new Touch(deal.dealId(), g.root().leadId, deal.closedAt(),
                        dims.channel().isEmpty() ? "unknown" : dims.channel(), dims.campaign()));
            }
            List<Instant> times = before.stream().map(Touch::at).toList();
            LocalDate day = day(deal.closedAt());
            for (AttributionModel model : AttributionModel.values()) {
                double[] w = model.weights(times, deal.closedAt(), halfLife);
                BigDecimal[] revenue = AttributionModel.split(deal.revenue(), w);
                BigDecimal[] customers = AttributionModel.split(firstDeal ? BigDecimal.ONE : BigDecimal.ZERO, w);
                for (int i = 0; i < before.size(); i++) {
                    Touch t = before.get(i);
                    List<Object> key = List.of(day, model.id(), t.channel(), t.campaign(), deal.currency(), day.withDayOfMonth(1));
                    d.sum(RollupTable.ATTRIBUTION, key, "revenue", revenue[i]);
                    d.sum(RollupTable.ATTRIBUTION, key, "customers", customers[i]);
                }
            }
            firstDeal = false;
        }
    }
}
