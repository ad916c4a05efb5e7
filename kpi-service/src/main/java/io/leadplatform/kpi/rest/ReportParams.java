package io.leadplatform.kpi.rest;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.kpi.domain.Grain;
import io.leadplatform.kpi.service.ReportService;
import io.leadplatform.kpi.service.Reports.Filters;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The query parameters every report takes: period, grain and filters; checked into a {@link ReportService.Request} (422 when bad). */
public class ReportParams {

    @QueryParam("from")
    @Parameter(description = "first day (UTC, YYYY-MM-DD), widened to the start of its bucket; default: 29 days before `to`")
    public String from;

    @QueryParam("to")
    @Parameter(description = "last day (UTC, YYYY-MM-DD), widened to the end of its bucket; default: today; at most 731 days after `from`")
    public String to;

    @QueryParam("grain")
    @Parameter(description = "bucket: day (default), week (ISO, from Monday), month, quarter")
    public String grain;

    @QueryParam("channel")
    @Parameter(description = "lead channel (or the visit's channel for website KPIs, the touch's for attribution)")
    public String channel;

    @QueryParam("source")
    @Parameter(description = "capture source: form, webhook, import, tracking, api")
    public String source;

    @QueryParam("campaign")
    public String campaign;

    @QueryParam("partner")
    @Parameter(description = "partner id (leads delivered by a partner's webhook)")
    public String partner;

    @QueryParam("form")
    @Parameter(description = "form key (leads captured by a form)")
    public String form;

    public ReportService.Request request() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate end = date("to", to, today);
        LocalDate start = date("from", from, end.minusDays(29));
        Grain g;
        try {
            g = grain == null || grain.isBlank() ? Grain.DAY : Grain.of(grain);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("grain", "must be day, week, month or quarter");
        }
        return new ReportService.Request(start, end, g, filters());
    }

    public Filters filters() {
        return new Filters(ReportService.filter("channel", channel), ReportService.filter("source", source),
                ReportService.filter("campaign", campaign), ReportService.filter("partner", partner), ReportService.filter("form", form));
    }

    static LocalDate date(String field, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be a date like 2026-11-01");
        }
    }
}
