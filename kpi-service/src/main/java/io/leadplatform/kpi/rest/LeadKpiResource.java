package io.leadplatform.kpi.rest;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.kpi.repository.LeadCountRepository;
import io.leadplatform.kpi.service.KpiService;
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
import java.time.format.DateTimeParseException;
import java.util.List;

/** Lead counts per channel per day, for marketing. */
@Path("/api/kpi/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kpi")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class LeadKpiResource {

    private final KpiService kpis;

    public LeadKpiResource(KpiService kpis) {
        this.kpis = kpis;
    }

    @GET
    @Operation(operationId = "leadsPerChannel", summary = "Leads captured per channel per day (UTC); default: the last 30 days")
    @APIResponse(responseCode = "200", description = "Counts and their total")
    @APIResponse(responseCode = "422", description = "Bad period", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    public Uni<LeadCounts> leads(@QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("channel") String channel) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate end = date("to", to, today);
        LocalDate start = date("from", from, end.minusDays(29));
        return kpis.leadsPerChannel(start, end, channel)
                .map(items -> new LeadCounts(start, end, items, items.stream().mapToLong(LeadCountRepository.DailyCount::leads).sum()));
    }

    private static LocalDate date(String field, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be a date like 2026-11-01");
        }
    }

    public record LeadCounts(LocalDate from, LocalDate to, List<LeadCountRepository.DailyCount> items, long total) {
    }
}
