package io.leadplatform.kpi.service;

import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.kpi.config.KpiConfig;
import io.leadplatform.kpi.domain.CampaignCost;
import io.leadplatform.kpi.domain.Grain;
import io.leadplatform.kpi.domain.PartnerPrice;
import io.leadplatform.kpi.domain.Stage;
import io.leadplatform.kpi.repository.MoneyRepository;
import io.leadplatform.kpi.repository.ReportRepository;
import io.leadplatform.kpi.repository.ReportRepository.Query;
import io.leadplatform.kpi.service.Reports.*;
import io.leadplatform.kpi.service.engine.AttributionModel;
import io.leadplatform.kpi.service.engine.Contributions;
import io.leadplatform.kpi.service.engine.Durations;
import io.leadplatform.kpi.service.engine.Formulas;
import io.leadplatform.kpi.service.engine.Money;
import io.leadplatform.kpi.service.engine.RollupTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Use cases: the KPI reports, read from the rollups (see {@link Reports} for each KPI's definition). */
@ApplicationScoped
public class ReportService {

    public static final int MAX_DAYS = 731;
    /** Rollup rows are kept when a delta brings them back to zero (a merge, a lead captured after its deal): reports skip them. */
    private static final String NON_ZERO_LEADS = "(sum(leads) <> 0 or sum(members) <> 0 or sum(subscribers) <> 0)";

    private final ReportRepository reports;
    private final MoneyRepository money;
    private final KpiConfig config;

    public ReportService(ReportRepository reports, MoneyRepository money, KpiConfig config) {
        this.reports = reports;
        this.money = money;
        this.config = config;
    }

    /** What a report is asked for: a day range (inclusive), a grain and filters. */
    public record Request(LocalDate from, LocalDate to, Grain grain, Filters filters) {
        public Request {
            if (to.isBefore(from)) {
                throw ProblemException.invalid("to", "must not be before from");
            }
            if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
                throw ProblemException.invalid("to", "the period may span at most " + MAX_DAYS + " days");
            }
            from = grain.start(from);
            to = grain.end(to);
        }

        Period period() {
            return new Period(from, to, grain.id());
        }
    }

    /** The table to read: the monthly one when the buckets are months or quarters (the period is then whole months). */
    private static String table(String base, Grain grain) {
        return grain == Grain.MONTH || grain == Grain.QUARTER ? base + "_month" : base;
    }

    /** Whether a report with these filters can read the channel × campaign slices: no source, partner or form filter. */
    static boolean sliced(Filters f) {
        return f.source() == null && f.partner() == null && f.form() == null
                && !RollupTable.ANY.equals(f.channel()) && !RollupTable.ANY.equals(f.campaign());
    }

    /** The table of lead dimensions to read ({@code base} = lead_rollup, duration_rollup, deal_rollup): its slice when it can. */
    private static String leadTable(String base, Grain grain, Filters f) {
        return table(sliced(f) ? base.replace("_rollup", "_slice") : base, grain);
    }

    /** The conditions for {@link #leadTable}; {@code byChannel} / {@code byCampaign}: the statement groups by that column. */
    private static Query leadQuery(LocalDate from, LocalDate to, Filters f, boolean byChannel, boolean byCampaign) {
        Query q = new Query(from, to);
        return sliced(f) ? q.slice(f, byChannel, byCampaign) : q.leadFilters(f);
    }

    // --- website ---------------------------------------------------------------------------------------

    public Uni<WebsiteReport> website(Request r) {
        Filters f = r.filters();
        Query q = new Query(r.from(), r.to()).eq("channel", f.channel()).eq("campaign", f.campaign());
        String sums = "sum(sessions), sum(page_views), sum(seconds)";
        String table = table("website_rollup", r.grain());
        Uni<List<Row>> series = reports.list("select " + ReportRepository.bucket(r.grain()) + ", " + sums + " from " + table, q,
                "group by 1 order by 1", row -> row);
        Uni<List<Row>> channels = reports.list("select channel, " + sums + " from " + table, q, "group by 1 order by 1", row -> row);
        Uni<Map<LocalDate, Long>> visitors = visitorsPerBucket(r);
        Uni<List<Row>> channelVisitors = reports.visitors(r.grain(), r.from(), r.to(), null, star(f.campaign()), true);
        return Uni.combine().all().unis(series, channels, visitors, channelVisitors).asTuple().map(t -> {
            Map<LocalDate, long[]> byBucket = new TreeMap<>();
            t.getItem1().forEach(row -> byBucket.put(row.getLocalDate(0), new long[]{lng(row, 1), lng(row, 2), lng(row, 3)}));
            t.getItem3().keySet().forEach(p -> byBucket.putIfAbsent(p, new long[3]));
            List<WebsitePoint> points = new ArrayList<>();
            long[] total = new long[4];
            byBucket.forEach((p, v) -> {
                long vis = t.getItem3().getOrDefault(p, 0L);
                points.add(websitePoint(p, vis, v));
                total[0] += vis;
                for (int i = 0; i < 3; i++) {
                    total[i + 1] += v[i];
                }
            });
            Map<String, Long> visByChannel = new HashMap<>();
            t.getItem4().forEach(row -> visByChannel.put(row.getString(0), lng(row, 1)));
            List<WebsiteChannel> perChannel = new ArrayList<>();
            t.getItem2().forEach(row -> {
                long[] v = {lng(row, 1), lng(row, 2), lng(row, 3)};
                WebsitePoint w = websitePoint(null, visByChannel.getOrDefault(row.getString(0), 0L), v);
                perChannel.add(new WebsiteChannel(row.getString(0), w.visitors(), w.sessions(), w.pageViews(), w.avgTimeOnSiteSeconds(),
                        w.pagesPerVisit()));
            });
            return new WebsiteReport(r.period(), f, points, websitePoint(null, total[0], new long[]{total[1], total[2], total[3]}), perChannel);
        });
    }

    private static WebsitePoint websitePoint(LocalDate period, long visitors, long[] v) {
        return new WebsitePoint(period, visitors, v[0], v[1], Formulas.ratio(v[2], v[0]), Formulas.ratio(v[1], v[0]));
    }

    private static String star(String filter) {
        return filter == null ? "*" : filter;
    }

    private Uni<Map<LocalDate, Long>> visitorsPerBucket(Request r) {
        return reports.visitors(r.grain(), r.from(), r.to(), star(r.filters().channel()), star(r.filters().campaign()), false).map(rows -> {
            Map<LocalDate, Long> m = new TreeMap<>();
            rows.forEach(row -> m.put(row.getLocalDate(0), lng(row, 1)));
            return m;
        });
    }

    // --- leads -----------------------------------------------------------------------------------------

    public Uni<LeadsReport> leads(Request r) {
        Filters f = r.filters();
        String sums = "sum(leads), sum(members), sum(subscribers)";
        Uni<List<Row>> series = reports.list("select " + ReportRepository.bucket(r.grain()) + ", " + sums + " from " + leadTable("lead_rollup", r.grain(), f),
                leadQuery(r.from(), r.to(), f, false, false), "group by 1 having " + NON_ZERO_LEADS + " order by 1", row -> row);
        LocalDate current = Grain.QUARTER.start(r.to());
        LocalDate previous = current.minusMonths(3);
        Uni<List<Row>> quarters = reports.list("select " + ReportRepository.bucket(Grain.QUARTER) + ", " + sums + " from "
                + leadTable("lead_rollup", Grain.MONTH, f), leadQuery(previous, current.plusMonths(3).minusDays(1), f, false, false), "group by 1", row -> row);
        return Uni.combine().all().unis(series, visitorsPerBucket(r), quarters).asTuple().map(t -> {
            Map<LocalDate, long[]> byBucket = new TreeMap<>();
            t.getItem1().forEach(row -> byBucket.put(row.getLocalDate(0), new long[]{lng(row, 1), lng(row, 2), lng(row, 3)}));
            t.getItem2().keySet().forEach(p -> byBucket.putIfAbsent(p, new long[3]));
            List<LeadPoint> points = new ArrayList<>();
            long[] total = new long[4];
            byBucket.forEach((p, v) -> {
                long visitors = t.getItem2().getOrDefault(p, 0L);
                points.add(new LeadPoint(p, v[0], v[1], v[2], visitors, Formulas.ratio(v[0], visitors)));
                for (int i = 0; i < 3; i++) {
                    total[i] += v[i];
                }
                total[3] += visitors;
            });
            Map<LocalDate, long[]> q = new HashMap<>();
            t.getItem3().forEach(row -> q.put(row.getLocalDate(0), new long[]{lng(row, 1), lng(row, 2), lng(row, 3)}));
            long[] cur = q.getOrDefault(current, new long[3]);
            long[] prev = q.getOrDefault(previous, new long[3]);
            QuarterGrowth growth = new QuarterGrowth(current, previous, growth(cur[0], prev[0]), growth(cur[1], prev[1]), growth(cur[2], prev[2]));
            return new LeadsReport(r.period(), f, points,
                    new LeadPoint(null, total[0], total[1], total[2], total[3], Formulas.ratio(total[0], total[3])), growth);
        });
    }

    private static Growth growth(long current, long previous) {
        return new Growth(current, previous, Formulas.growth(current, previous));
    }

    /** Leads per day and channel (the first KPI of the service, kept for its callers). */
    public Uni<List<Row>> leadsPerDayAndChannel(LocalDate from, LocalDate to, String channel) {
        Filters f = new Filters(channel, null, null, null, null);
        return reports.list("select day, channel, sum(leads) from " + leadTable("lead_rollup", Grain.DAY, f), leadQuery(from, to, f, true, false),
                "group by 1, 2 having sum(leads) <> 0 order by 1, 2", row -> row);
    }

    // --- funnel ----------------------------------------------------------------------------------------

    public Uni<FunnelReport> funnel(Request r, Grain cohortGrain) {
        if (cohortGrain != Grain.WEEK && cohortGrain != Grain.MONTH) {
            throw ProblemException.invalid("cohort", "must be week or month");
        }
        Filters f = r.filters();
        Grain read = cohortGrain == Grain.MONTH ? r.grain() : Grain.DAY;
        Uni<List<Row>> totals = reports.list("select coalesce(sum(leads), 0), coalesce(sum(mql), 0), coalesce(sum(sql), 0), "
                + "coalesce(sum(opportunity), 0), coalesce(sum(customers), 0), coalesce(sum(recycled), 0), coalesce(sum(disqualified), 0) "
                + "from " + leadTable("lead_rollup", r.grain(), f), leadQuery(r.from(), r.to(), f, false, false), null, row -> row);
        Uni<List<Row>> cohortLeads = reports.list("select " + ReportRepository.bucket(cohortGrain) + ", sum(leads) from " + leadTable("lead_rollup", read, f),
                leadQuery(r.from(), r.to(), f, false, false), "group by 1 having sum(leads) <> 0 order by 1", row -> row);
        Uni<List<Row>> histograms = reports.list("select " + ReportRepository.bucket(cohortGrain) + ", metric, bucket, sum(leads) from "
                + leadTable("duration_rollup", read, f), leadQuery(r.from(), r.to(), f, false, false), "and metric <> '" + Contributions.PARTNER_CREDIT_DAYS + "' group by 1, 2, 3 having sum(leads) <> 0 order by 1, 2, 3", row -> row);
        return Uni.combine().all().unis(totals, cohortLeads, histograms).asTuple().map(t -> {
            Row tot = t.getItem1().get(0);
            List<StageCount> stages = new ArrayList<>();
            for (int i = 0; i < Stage.FUNNEL.length; i++) {
                stages.add(new StageCount(Stage.FUNNEL[i].name(), lng(tot, i)));
            }
            List<StageConversion> conversions = new ArrayList<>();
            for (int i = 0; i + 1 < Stage.FUNNEL.length; i++) {
                conversions.add(new StageConversion(Stage.FUNNEL[i].name(), Stage.FUNNEL[i + 1].name(), Formulas.ratio(lng(tot, i + 1), lng(tot, i))));
            }
            Map<LocalDate, Map<String, List<long[]>>> hist = new TreeMap<>();
            t.getItem3().forEach(row -> hist.computeIfAbsent(row.getLocalDate(0), k -> new HashMap<>())
                    .computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(new long[]{row.getInteger(2), lng(row, 3)}));
            List<Cohort> cohorts = new ArrayList<>();
            t.getItem2().forEach(row -> {
                LocalDate c = row.getLocalDate(0);
                List<DurationStats> stats = new ArrayList<>();
                for (String metric : Contributions.STAGE_METRICS) {
                    stats.add(stats(metric, hist.getOrDefault(c, Map.of()).getOrDefault(metric, List.of())));
                }
                cohorts.add(new Cohort(c, lng(row, 1), stats));
            });
            return new FunnelReport(r.period(), f, stages, conversions, Formulas.ratio(lng(tot, 4), lng(tot, 0)), lng(tot, 5), lng(tot, 6),
                    cohortGrain.id(), cohorts);
        });
    }

    static DurationStats stats(String metric, List<long[]> histogram) {
        int[] buckets = new int[histogram.size()];
        long[] counts = new long[histogram.size()];
        long n = 0;
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = (int) histogram.get(i)[0];
            counts[i] = histogram.get(i)[1];
            n += counts[i];
        }
        return new DurationStats(metric, n, Durations.percentile(buckets, counts, 0.5), Durations.percentile(buckets, counts, 0.9));
    }

    // --- money -----------------------------------------------------------------------------------------

    public Uni<MoneyReport> money(Request r) {
        Filters f = r.filters();
        Uni<List<Row>> leads = reports.list("select channel, campaign, sum(leads), sum(customers) from " + leadTable("lead_rollup", r.grain(), f),
                leadQuery(r.from(), r.to(), f, true, true), "group by 1, 2 having sum(leads) <> 0 or sum(customers) <> 0", row -> row);
        Uni<List<Row>> deals = reports.list("select channel, campaign, currency, rate_month, sum(deals), sum(revenue)::text, sum(gross_margin)::text "
                + "from " + leadTable("deal_rollup", r.grain(), f), leadQuery(r.from(), r.to(), f, true, true),
                "group by 1, 2, 3, 4 having sum(deals) <> 0", row -> row);
        return Uni.combine().all().unis(leads, deals, money.costs(r.from(), r.to()), money.rates()).asTuple().map(t -> {
            Money m = new Money(config.reportingCurrency(), t.getItem4());
            Map<List<String>, Object[]> rows = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0)) ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
            // per key: cost, leads, customers, revenue, margin
            java.util.function.Function<List<String>, Object[]> row = k -> rows.computeIfAbsent(k,
                    x -> new Object[]{BigDecimal.ZERO, 0L, 0L, BigDecimal.ZERO, BigDecimal.ZERO});
            for (CampaignCost c : t.getItem3()) {
                if ((f.channel() == null || f.channel().equals(c.channel())) && (f.campaign() == null || f.campaign().equals(c.campaign()))) {
                    Object[] v = row.apply(List.of(c.channel(), c.campaign()));
                    v[0] = ((BigDecimal) v[0]).add(m.costIn(c, r.from(), r.to()));
                }
            }
            t.getItem1().forEach(x -> {
                Object[] v = row.apply(List.of(x.getString(0), x.getString(1)));
                v[1] = (Long) v[1] + lng(x, 2);
                v[2] = (Long) v[2] + lng(x, 3);
            });
            Set<MissingRate> missing = new LinkedHashSet<>();
            t.getItem2().forEach(x -> {
                BigDecimal revenue = m.convert(new BigDecimal(x.getString(5)), x.getString(2), x.getLocalDate(3));
                BigDecimal margin = m.convert(new BigDecimal(x.getString(6)), x.getString(2), x.getLocalDate(3));
                if (revenue == null) {
                    missing.add(new MissingRate(x.getString(2), x.getLocalDate(3)));
                    return;
                }
                Object[] v = row.apply(List.of(x.getString(0), x.getString(1)));
                v[3] = ((BigDecimal) v[3]).add(revenue);
                v[4] = ((BigDecimal) v[4]).add(margin);
            });
            List<MoneyRow> list = new ArrayList<>();
            Object[] total = {BigDecimal.ZERO, 0L, 0L, BigDecimal.ZERO, BigDecimal.ZERO};
            rows.forEach((k, v) -> {
                list.add(moneyRow(k.get(0), k.get(1), v));
                total[0] = ((BigDecimal) total[0]).add((BigDecimal) v[0]);
                total[1] = (Long) total[1] + (Long) v[1];
                total[2] = (Long) total[2] + (Long) v[2];
                total[3] = ((BigDecimal) total[3]).add((BigDecimal) v[3]);
                total[4] = ((BigDecimal) total[4]).add((BigDecimal) v[4]);
            });
            return new MoneyReport(r.period(), f, config.reportingCurrency(), list, moneyRow(null, null, total), List.copyOf(missing));
        });
    }

    private static MoneyRow moneyRow(String channel, String campaign, Object[] v) {
        BigDecimal cost = scaled((BigDecimal) v[0]);
        long leads = (Long) v[1];
        long customers = (Long) v[2];
        BigDecimal margin = scaled((BigDecimal) v[4]);
        return new MoneyRow(channel, campaign, cost, leads, customers, scaled((BigDecimal) v[3]), margin,
                Formulas.cpl(cost, leads), Formulas.cpa(cost, customers), Formulas.roi(margin, cost));
    }

    private static BigDecimal scaled(BigDecimal v) {
        return v.setScale(Formulas.SCALE, RoundingMode.HALF_EVEN);
    }

    // --- e-mail ----------------------------------------------------------------------------------------

    public Uni<EmailReport> email(Request r) {
        Query q = new Query(r.from(), r.to());
        Uni<List<EmailStep>> steps = reports.list("select sequence_id, step_id, sum(sent), sum(delivered), sum(opened_human), sum(opened_bot), "
                + "sum(opened_proxy), sum(clicked_human), sum(clicked_bot), sum(clicked_proxy), sum(unsubscribed), sum(bounced_hard), "
                + "sum(bounced_soft), sum(complained) from email_rollup", q, "group by 1, 2 order by 1, 2", row -> new EmailStep(
                row.getString(0), row.getString(1), lng(row, 2), lng(row, 3), lng(row, 4), lng(row, 5), lng(row, 6), lng(row, 7),
                lng(row, 8), lng(row, 9), lng(row, 10), lng(row, 11), lng(row, 12), lng(row, 13),
                Formulas.ratio(lng(row, 4), lng(row, 3)), Formulas.ratio(lng(row, 7), lng(row, 3))));
        Uni<List<SequenceConversion>> sequences = reports.list("select sequence_id, sum(enrolled), sum(mql), sum(sql) from sequence_rollup",
                new Query(r.from(), r.to()), "group by 1 having sum(enrolled) <> 0 order by 1", row -> new SequenceConversion(row.getString(0), lng(row, 1), lng(row, 2),
                        lng(row, 3), Formulas.ratio(lng(row, 2), lng(row, 1)), Formulas.ratio(lng(row, 3), lng(row, 1))));
        return Uni.combine().all().unis(steps, sequences).asTuple().map(t -> new EmailReport(r.period(), t.getItem1(), t.getItem2()));
    }

    // --- partners --------------------------------------------------------------------------------------

    public Uni<PartnerReport> partners(Request r) {
        String partner = r.filters().partner();
        String bucket = ReportRepository.bucket(r.grain());
        Uni<List<Row>> accepted = reports.list("select partner, " + bucket + ", sum(leads) from " + table("lead_rollup", r.grain()),
                new Query(r.from(), r.to()).eq("partner", partner), "and source = 'webhook' and partner <> '' group by 1, 2 having sum(leads) <> 0",
                row -> row);
        // metric and source as literals, not parameters: the prepared statement's generic plan then picks the partner index
        Uni<List<Row>> credits = reports.list("select partner, " + bucket + ", bucket, sum(leads) from " + table("duration_rollup", r.grain()),
                new Query(r.from(), r.to()).eq("partner", partner),
                "and metric = '" + Contributions.PARTNER_CREDIT_DAYS + "' and source = 'webhook' group by 1, 2, 3 having sum(leads) <> 0", row -> row);
        return Uni.combine().all().unis(accepted, credits, money.prices()).asTuple().map(t -> {
            Map<String, PartnerPrice> prices = new HashMap<>();
            t.getItem3().forEach(p -> prices.put(p.partner(), p));
            Map<List<Object>, long[]> rows = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                    ? ((LocalDate) a.get(1)).compareTo((LocalDate) b.get(1)) : ((String) a.get(0)).compareTo((String) b.get(0)));
            t.getItem1().forEach(x -> rows.computeIfAbsent(List.of(x.getString(0), x.getLocalDate(1)), k -> new long[2])[0] += lng(x, 2));
            t.getItem2().forEach(x -> {
                int window = window(prices.get(x.getString(0)));
                if (x.getInteger(2) < window) {
                    rows.computeIfAbsent(List.of(x.getString(0), x.getLocalDate(1)), k -> new long[2])[1] += lng(x, 3);
                }
            });
            List<PartnerRow> list = new ArrayList<>();
            rows.forEach((k, v) -> {
                PartnerPrice price = prices.get((String) k.get(0));
                long billable = v[0] - v[1];
                list.add(new PartnerRow((String) k.get(0), (LocalDate) k.get(1), v[0], v[1], billable,
                        price == null ? null : price.pricePerLead(), price == null ? config.reportingCurrency() : price.currency(),
                        window(price), price == null ? null : price.pricePerLead().multiply(BigDecimal.valueOf(billable))));
            });
            return new PartnerReport(r.period(), list);
        });
    }

    private int window(PartnerPrice price) {
        return price == null ? config.defaultCreditWindowDays() : price.creditWindowDays();
    }

    // --- attribution -----------------------------------------------------------------------------------

    public Uni<AttributionReport> attribution(Request r, AttributionModel model) {
        Filters f = r.filters();
        Query q = new Query(r.from(), r.to()).eq("model", model.id()).eq("channel", f.channel()).eq("campaign", f.campaign());
        Uni<List<Row>> rows = reports.list("select channel, campaign, currency, rate_month, sum(customers)::text, sum(revenue)::text "
                + "from " + table("attribution_rollup", r.grain()), q, "group by 1, 2, 3, 4 having sum(customers) <> 0 or sum(revenue) <> 0", row -> row);
        return Uni.combine().all().unis(rows, money.rates()).asTuple().map(t -> {
            Money m = new Money(config.reportingCurrency(), t.getItem2());
            Map<List<String>, BigDecimal[]> byTouch = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                    ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
            Set<MissingRate> missing = new LinkedHashSet<>();
            BigDecimal[] total = {BigDecimal.ZERO, BigDecimal.ZERO};
            t.getItem1().forEach(x -> {
                BigDecimal revenue = m.convert(new BigDecimal(x.getString(5)), x.getString(2), x.getLocalDate(3));
                if (revenue == null) {
                    missing.add(new MissingRate(x.getString(2), x.getLocalDate(3)));
                    return;
                }
                BigDecimal customers = new BigDecimal(x.getString(4));
                BigDecimal[] v = byTouch.computeIfAbsent(List.of(x.getString(0), x.getString(1)), k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
                v[0] = v[0].add(customers);
                v[1] = v[1].add(revenue);
                total[0] = total[0].add(customers);
                total[1] = total[1].add(revenue);
            });
            List<AttributionRow> list = new ArrayList<>();
            byTouch.forEach((k, v) -> list.add(new AttributionRow(k.get(0), k.get(1), scaled(v[0]), scaled(v[1]))));
            return new AttributionReport(r.period(), model.id(), config.reportingCurrency(), list, scaled(total[0]), scaled(total[1]),
                    List.copyOf(missing));
        });
    }

    private static long lng(Row row, int i) {
        Object v = row.getValue(i);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** Checks a filter value (422 when malformed). */
    public static String filter(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            throw new ProblemException(Problem.invalid(List.of(new Problem.FieldError(field, "at most 200 characters, no control characters"))));
        }
        return value;
    }

}
