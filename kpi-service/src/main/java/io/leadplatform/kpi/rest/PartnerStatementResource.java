package io.leadplatform.kpi.rest;

import io.leadplatform.kpi.service.ReportService;
import io.leadplatform.kpi.service.Reports;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** A partner's pay-per-lead statement as CSV (marketing and admin). */
@Path("/api/kpi/partners/{partnerId}/statement")
@Tag(name = "kpi")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class PartnerStatementResource {

    static final String[] HEADER = {"partner", "period", "accepted", "credited", "billable", "price_per_lead", "currency",
            "credit_window_days", "amount_owed"};

    private final ReportService reports;

    public PartnerStatementResource(ReportService reports) {
        this.reports = reports;
    }

    @GET
    @Produces("text/csv")
    @Operation(operationId = "partnerStatement", summary = "CSV statement of a partner: one line per bucket of the period",
            description = "Columns: partner, period (bucket start), accepted, credited, billable, price_per_lead, currency, credit_window_days, "
                    + "amount_owed (empty when the partner has no price). Same numbers as /api/kpi/reports/partners.")
    @APIResponse(responseCode = "200", description = "The statement", content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "422", description = "Bad period or grain", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    public Uni<Response> statement(@PathParam("partnerId") String partnerId, @BeanParam ReportParams params) {
        params.partner = partnerId;
        ReportService.Request request = params.request();
        return reports.partners(request).map(report -> Response.ok(csv(report))
                .header("Content-Disposition", "attachment; filename=\"partner-" + partnerId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
                        + request.from() + "-" + request.to() + ".csv\"").build());
    }

    static String csv(Reports.PartnerReport report) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
            for (Reports.PartnerRow r : report.rows()) {
                printer.printRecord(r.partner(), r.period(), r.accepted(), r.credited(), r.billable(),
                        r.pricePerLead() == null ? "" : r.pricePerLead().toPlainString(), r.currency(), r.creditWindowDays(),
                        r.amountOwed() == null ? "" : r.amountOwed().toPlainString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
