package io.leadplatform.kpi.rest;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.kpi.domain.Grain;
import io.leadplatform.kpi.service.ReportService;
import io.leadplatform.kpi.service.Reports;
import io.leadplatform.kpi.service.engine.AttributionModel;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The KPI reports (marketing and admin). Every report takes the period (from, to, grain) and filters; a bad
 * date, grain, period or filter is a 422 problem naming the field.
 */
@Path("/api/kpi/reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kpi")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
@APIResponse(responseCode = "422", description = "Bad period, grain or filter", content = @Content(mediaType = "application/problem+json"))
@APIResponse(responseCode = "401", description = "No valid token")
@APIResponse(responseCode = "403", description = "Not marketing or admin")
public class ReportResource {

    private final ReportService reports;

    public ReportResource(ReportService reports) {
        this.reports = reports;
    }

    @GET
    @Path("/website")
    @Operation(operationId = "websiteReport", summary = "Visitors, sessions, page views, average time on site, pages per visit; per bucket and channel",
            description = "Source: website.activity (capture-service tracking, anonymous visitors included). visitors = distinct visitor ids "
                    + "with a session starting in the bucket; sessions = session starts; pageViews = page views; avgTimeOnSiteSeconds = "
                    + "sum(durationSeconds) / sessions; pagesPerVisit = pageViews / sessions. Filters: channel, campaign.")
    public Uni<Reports.WebsiteReport> website(@BeanParam ReportParams params) {
        return reports.website(params.request());
    }

    @GET
    @Path("/leads")
    @Operation(operationId = "leadsReport", summary = "New leads, members, newsletter subscribers, visitor-to-lead conversion; quarter-over-quarter growth",
            description = "newLeads = leads captured (lead.captured, merged leads once); newMembers = leads captured by a registration form "
                    + "(kpi.registration-forms); newSubscribers = leads whose newsletter consent came into force (lead.captured / lead.updated, "
                    + "confirmed double opt-in); visitorToLead = newLeads / visitors: visitors, not sessions, because a lead is a person "
                    + "and a person converts once however many visits it takes. Growth = (current quarter - previous) / previous.")
    public Uni<Reports.LeadsReport> leads(@BeanParam ReportParams params) {
        return reports.leads(params.request());
    }

    @GET
    @Path("/funnel")
    @Operation(operationId = "funnelReport", summary = "Funnel LEAD → MQL → SQL → OPPORTUNITY → CUSTOMER of the leads captured in the period",
            description = "Cohort view from lead.captured and lead.stage-changed: stage count = leads of the period that ever reached the stage "
                    + "(reaching a stage implies the earlier ones); conversion = reached(to) / reached(from); recycled and disqualified apart; "
                    + "time in stage and time to convert per capture cohort: median and p90 in seconds.")
    public Uni<Reports.FunnelReport> funnel(@BeanParam ReportParams params,
                                            @QueryParam("cohort") @Parameter(description = "cohort bucket: week or month (default)") String cohort) {
        Grain c;
        try {
            c = cohort == null || cohort.isBlank() ? Grain.MONTH : Grain.of(cohort);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("cohort", "must be week or month");
        }
        return reports.funnel(params.request(), c);
    }

    @GET
    @Path("/money")
    @Operation(operationId = "moneyReport", summary = "Cost, CPL, CPA, gross margin and ROI per channel and campaign (reporting currency)",
            description = "cost = campaign costs spread evenly over their days (converted at each month's rate); CPL = cost / new leads; "
                    + "CPA = cost / new customers (leads of the period that became CUSTOMER); grossMargin = gross margin of their won deals "
                    + "(deal.closed); ROI = (grossMargin - cost) / cost. Each ratio comes with its numerator and denominator; value null when "
                    + "the denominator is 0.")
    public Uni<Reports.MoneyReport> money(@BeanParam ReportParams params) {
        return reports.money(params.request());
    }

    @GET
    @Path("/email")
    @Operation(operationId = "emailReport", summary = "E-mail per sequence and step (human opens and clicks, bot and proxy apart) and sequence conversion",
            description = "Source: email.event (nurturing-service). Counts of events by occurredAt; opens / clicks split by classification; "
                    + "bounces by bounceType; sequence conversion = leads enrolled (first send) that reached MQL / SQL afterwards / enrolled.")
    public Uni<Reports.EmailReport> email(@BeanParam ReportParams params) {
        return reports.email(params.request());
    }

    @GET
    @Path("/partners")
    @Operation(operationId = "partnerReport", summary = "Pay per lead: accepted, credited, billable leads and amount owed per partner and bucket",
            description = "accepted = new leads from the partner's webhook (lead.captured, source webhook); credited = those that bounced "
                    + "hard (email.event) or were disqualified (lead.stage-changed) within the partner's credit window after capture; "
                    + "billable = accepted - credited; amountOwed = billable x pricePerLead. Filter: partner.")
    public Uni<Reports.PartnerReport> partners(@BeanParam ReportParams params) {
        return reports.partners(params.request());
    }

    @GET
    @Path("/attribution")
    @Operation(operationId = "attributionReport", summary = "Customers and revenue of won deals shared among the touches before the close",
            description = "Touches: the lead's capture, its visits (website.activity session starts) and human e-mail clicks, up to the "
                    + "close (deal.closed). Models: first_touch, last_touch, linear, time_decay (half-life kpi.time-decay-half-life), "
                    + "position_based (40 % first, 40 % last, 20 % between). The totals are the same in every model.")
    public Uni<Reports.AttributionReport> attribution(@BeanParam ReportParams params,
                                                      @QueryParam("model") @Parameter(description = "first_touch, last_touch, linear (default), time_decay, position_based") String model) {
        AttributionModel m;
        try {
            m = model == null || model.isBlank() ? AttributionModel.LINEAR : AttributionModel.of(model);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("model", "must be first_touch, last_touch, linear, time_decay or position_based");
        }
        return reports.attribution(params.request(), m);
    }
}
