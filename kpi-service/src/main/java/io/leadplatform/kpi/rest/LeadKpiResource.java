package io.leadplatform.kpi.rest;

import io.leadplatform.kpi.service.ReportService;
import io.leadplatform.kpi.service.Reports;
import io.leadplatform.kpi.domain.Grain;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Lead counts per channel per day, for marketing (the service's first KPI; the reports give the rest). */
@Path("/api/kpi/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kpi")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class LeadKpiResource {

    private final ReportService reports;

    public LeadKpiResource(ReportService reports) {
        this.reports = reports;
    }

    @GET
    @Operation(operationId = "leadsPerChannel", summary = "Leads captured per channel per day (UTC); default: the last 30 days",
            description = "leads: leads captured that day (lead.captured; a lead merged into another is not counted). Same numbers as newLeads of /api/kpi/reports/leads.")
    @APIResponse(responseCode = "200", description = "Counts and their total")
    @APIResponse(responseCode = "422", description = "Bad period", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    public Uni<LeadCounts> leads(@QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("channel") String channel) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate end = ReportParams.date("to", to, today);
        LocalDate start = ReportParams.date("from", from, end.minusDays(29));
        ReportService.Request request = new ReportService.Request(start, end, Grain.DAY, Reports.Filters.NONE);
        return reports.leadsPerDayAndChannel(request.from(), request.to(), ReportService.filter("channel", channel))
                .map(rows -> {
                    List<DailyCount> items = rows.stream()
                            .map(r -> new DailyCount(r.getLocalDate(0), r.getString(1), ((Number) r.getValue(2)).longValue())).toList();
                    return new LeadCounts(start, end, items, items.stream().mapToLong(DailyCount::leads).sum());
                });
    }

    public record DailyCount(LocalDate day, String channel, long leads) {
    }

    public record LeadCounts(LocalDate from, LocalDate to, List<DailyCount> items, long total) {
    }
}
