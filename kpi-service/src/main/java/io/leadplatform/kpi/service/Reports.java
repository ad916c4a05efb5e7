package io.leadplatform.kpi.service;

import io.leadplatform.kpi.service.engine.Formulas.Ratio;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** What the KPI reports answer (documented once here; the README's KPI table says the same). */
public final class Reports {

    private Reports() {
    }

    @Schema(description = "Filters given (null: not filtered). Which filters a report applies is said in its description.")
    public record Filters(String channel, String source, String campaign, String partner, String form) {
        public static final Filters NONE = new Filters(null, null, null, null, null);
    }

    @Schema(description = "The period reported: from/to widened to whole buckets of the grain (UTC days)")
    public record Period(LocalDate from, LocalDate to, String grain) {
    }

    // --- website ---------------------------------------------------------------------------------------

    @Schema(description = "Website KPIs of a bucket. visitors: distinct visitor ids with a session starting in the bucket; "
            + "sessions: session starts; pageViews: page views; avgTimeOnSiteSeconds = sum of time on page / sessions; "
            + "pagesPerVisit = pageViews / sessions. Source: website.activity.")
    public record WebsitePoint(LocalDate period, long visitors, long sessions, long pageViews, Ratio avgTimeOnSiteSeconds,
                               Ratio pagesPerVisit) {
    }

    @Schema(description = "Website KPIs of a channel over the whole period (visitors: sum of the buckets' distinct visitors)")
    public record WebsiteChannel(String channel, long visitors, long sessions, long pageViews, Ratio avgTimeOnSiteSeconds,
                                 Ratio pagesPerVisit) {
    }

    @Schema(description = "Website KPIs per bucket, their total (visitors of the total: sum over the buckets, a visitor "
            + "returning in two buckets counts twice) and per channel. Filters applied: channel, campaign (utm_campaign).")
    public record WebsiteReport(Period period, Filters filters, List<WebsitePoint> series, WebsitePoint total, List<WebsiteChannel> perChannel) {
    }

    // --- leads -----------------------------------------------------------------------------------------

    @Schema(description = "Lead KPIs of a bucket. newLeads: leads captured (lead.captured, merged leads once); newMembers: "
            + "those captured by a registration form; newSubscribers: leads whose newsletter consent came into force in the bucket; "
            + "visitorToLead = newLeads / visitors (distinct visitors of the bucket, website.activity).")
    public record LeadPoint(LocalDate period, long newLeads, long newMembers, long newSubscribers, long visitors, Ratio visitorToLead) {
    }

    @Schema(description = "Quarter-over-quarter growth = (current quarter - previous quarter) / previous quarter")
    public record Growth(long current, long previous, Ratio growth) {
    }

    @Schema(description = "The quarter holding the period's last day against the quarter before, same filters")
    public record QuarterGrowth(LocalDate currentQuarter, LocalDate previousQuarter, Growth newLeads, Growth newMembers, Growth newSubscribers) {
    }

    @Schema(description = "Lead KPIs per bucket, total, and quarter-over-quarter growth. Filters applied: all five to leads; "
            + "visitors (the conversion denominator) only by channel and campaign.")
    public record LeadsReport(Period period, Filters filters, List<LeadPoint> series, LeadPoint total, QuarterGrowth quarterOverQuarter) {
    }

    // --- funnel ----------------------------------------------------------------------------------------

    @Schema(description = "Leads of the cohort (captured in the period) that reached the stage, ever")
    public record StageCount(String stage, long leads) {
    }

    @Schema(description = "Stage-to-stage conversion = leads that reached `to` / leads that reached `from` (same cohort)")
    public record StageConversion(String from, String to, Ratio conversion) {
    }

    @Schema(description = "Percentiles of a duration in seconds (nearest rank, at most 5 % above the exact value); null when no lead made the step")
    public record DurationStats(String metric, long leads, Double medianSeconds, Double p90Seconds) {
    }

    @Schema(description = "A capture cohort (week or month): its leads and time in stage / time to convert")
    public record Cohort(LocalDate cohort, long leads, List<DurationStats> durations) {
    }

    @Schema(description = "Funnel of the leads captured in the period (cohort view, from lead.captured and lead.stage-changed). "
            + "Reaching a stage implies the earlier ones. recycled and disqualified: leads that were ever recycled / disqualified, apart from "
            + "the funnel. Durations: lead_to_mql (capture to MQL), mql_to_sql, sql_to_opportunity, opportunity_to_customer, "
            + "lead_to_customer (time to convert). Filters: all five.")
    public record FunnelReport(Period period, Filters filters, List<StageCount> stages, List<StageConversion> conversions,
                               Ratio leadToCustomer, long recycled, long disqualified, String cohortGrain, List<Cohort> cohorts) {
    }

    // --- money -----------------------------------------------------------------------------------------

    @Schema(description = "Money KPIs of a channel and campaign in the reporting currency. cost: campaign costs entered, spread "
            + "evenly over their days, the days in the period; newLeads, newCustomers: leads captured in the period and those of them "
            + "that became customers; revenue, grossMargin: their won deals (deal.closed). CPL = cost / newLeads; CPA = cost / newCustomers; "
            + "ROI = (grossMargin - cost) / cost.")
    public record MoneyRow(String channel, String campaign, BigDecimal cost, long newLeads, long newCustomers, BigDecimal revenue,
                           BigDecimal grossMargin, Ratio cpl, Ratio cpa, Ratio roi) {
    }

    @Schema(description = "A currency and month whose won deals are left out for want of an exchange rate (PUT /api/kpi/rates/{currency}/{month})")
    public record MissingRate(String currency, LocalDate month) {
    }

    @Schema(description = "Money KPIs per channel and campaign (campaign '' = costs or leads of the channel without a campaign) "
            + "and their total. Filters: channel and campaign to costs, leads and deals; source, partner, form to leads and deals only.")
    public record MoneyReport(Period period, Filters filters, String currency, List<MoneyRow> rows, MoneyRow total, List<MissingRate> missingRates) {
    }

    // --- e-mail ----------------------------------------------------------------------------------------

    @Schema(description = "E-mail events of a sequence step in the period (email.event by occurredAt). Opens and clicks apart by "
            + "classification: human, bot (scanner), proxy (privacy proxy); bounces hard and soft; complaints.")
    public record EmailStep(String sequenceId, String stepId, long sent, long delivered, long opensHuman, long opensBot, long opensProxy,
                            long clicksHuman, long clicksBot, long clicksProxy, long unsubscribes, long bouncesHard, long bouncesSoft,
                            long complaints, Ratio humanOpenRate, Ratio humanClickRate) {
    }

    @Schema(description = "Leads whose first e-mail of the sequence was sent in the period (enrolled), and of them those that reached "
            + "MQL / SQL after that first send: toMql = mql / enrolled, toSql = sql / enrolled.")
    public record SequenceConversion(String sequenceId, long enrolled, long mql, long sql, Ratio toMql, Ratio toSql) {
    }

    @Schema(description = "E-mail KPIs per sequence and step (humanOpenRate = human opens / delivered, humanClickRate = human clicks / "
            + "delivered) and sequence conversion. Lead filters do not apply.")
    public record EmailReport(Period period, List<EmailStep> steps, List<SequenceConversion> sequences) {
    }

    // --- partners --------------------------------------------------------------------------------------

    @Schema(description = "Pay per lead of a partner in a bucket. accepted: leads the partner's webhook delivered that were new "
            + "(lead.captured with source webhook, sourceRef = partner); credited: accepted leads that bounced hard or were disqualified "
            + "within the partner's credit window (days after capture); billable = accepted - credited; amountOwed = billable x pricePerLead. "
            + "Duplicates and rejected deliveries create no lead and no event: capture-service's partner report counts them.")
    public record PartnerRow(String partner, LocalDate period, long accepted, long credited, long billable, BigDecimal pricePerLead,
                             String currency, int creditWindowDays, BigDecimal amountOwed) {
    }

    @Schema(description = "Pay per lead per partner and bucket (partner filter applies; the others do not)")
    public record PartnerReport(Period period, List<PartnerRow> rows) {
    }

    // --- attribution -----------------------------------------------------------------------------------

    @Schema(description = "Customers and revenue credited to a touch channel and campaign (reporting currency)")
    public record AttributionRow(String channel, String campaign, BigDecimal customers, BigDecimal revenue) {
    }

    @Schema(description = "Won deals closed in the period shared among the lead's touches before the close (its capture, its visits, "
            + "its human e-mail clicks): first_touch, last_touch, linear, time_decay (half-life 7 days), position_based (40/20/40). "
            + "Every model distributes the same customers (1 per lead, at its first won deal) and revenue. Filters: channel and campaign "
            + "of the touch.")
    public record AttributionReport(Period period, String model, String currency, List<AttributionRow> rows, BigDecimal totalCustomers,
                                    BigDecimal totalRevenue, List<MissingRate> missingRates) {
    }
}
