package io.leadplatform.kpi.rest;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.kpi.domain.CampaignCost;
import io.leadplatform.kpi.domain.ExchangeRate;
import io.leadplatform.kpi.domain.PartnerPrice;
import io.leadplatform.kpi.service.MoneyService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Campaign costs, exchange rates and partner prices: what the money KPIs need besides events (marketing and admin). */
@Path("/api/kpi")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kpi")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
@APIResponse(responseCode = "401", description = "No valid token")
@APIResponse(responseCode = "403", description = "Not marketing or admin")
public class MoneyResource {

    private final MoneyService money;

    public MoneyResource(MoneyService money) {
        this.money = money;
    }

    @Schema(description = "A campaign cost: amount in currency over the days from..to (inclusive) for a channel and optionally a campaign")
    public record CostInput(String channel, String campaign, String from, String to, BigDecimal amount, String currency) {
    }

    @POST
    @Path("/costs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addCost", summary = "Enter a campaign cost",
            description = "A cost in another currency than the reporting one needs an exchange rate for every month of its period, else 422.")
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "422", description = "Bad field or missing exchange rate", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> addCost(CostInput in) {
        if (in == null) {
            throw ProblemException.invalid("body", "is required");
        }
        MoneyService.NewCost cost = new MoneyService.NewCost(in.channel(), in.campaign(), day("from", in.from()), day("to", in.to()),
                in.amount(), in.currency());
        return money.addCost(cost).map(c -> Response.created(URI.create("/api/kpi/costs/" + c.id())).entity(c).build());
    }

    @GET
    @Path("/costs")
    @Operation(operationId = "listCosts", summary = "Costs whose period overlaps from..to (default: the last 365 days)")
    @APIResponse(responseCode = "200", description = "The costs")
    @APIResponse(responseCode = "422", description = "Bad date", content = @Content(mediaType = "application/problem+json"))
    public Uni<List<CampaignCost>> costs(@QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate end = ReportParams.date("to", to, LocalDate.now(ZoneOffset.UTC));
        return money.costs(ReportParams.date("from", from, end.minusDays(364)), end);
    }

    @DELETE
    @Path("/costs/{id}")
    @Operation(operationId = "deleteCost", summary = "Remove a cost entered by mistake")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such cost", content = @Content(mediaType = "application/problem+json"))
    public Uni<Void> deleteCost(@PathParam("id") UUID id) {
        return money.deleteCost(id);
    }

    @Schema(description = "Units of the reporting currency for one unit of the currency")
    public record RateInput(BigDecimal rate) {
    }

    @PUT
    @Path("/rates/{currency}/{month}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putRate", summary = "Set the exchange rate of a currency for a month (YYYY-MM)")
    @APIResponse(responseCode = "200", description = "Stored")
    @APIResponse(responseCode = "422", description = "Bad currency, month or rate", content = @Content(mediaType = "application/problem+json"))
    public Uni<ExchangeRate> putRate(@PathParam("currency") String currency, @PathParam("month") String month, RateInput in) {
        return money.putRate(currency, month, in == null ? null : in.rate());
    }

    @GET
    @Path("/rates")
    @Operation(operationId = "listRates", summary = "The exchange rates")
    @APIResponse(responseCode = "200", description = "The rates")
    public Uni<List<ExchangeRate>> rates() {
        return money.rates();
    }

    @Schema(description = "Price per accepted lead (reporting currency) and credit window in days (default kpi.default-credit-window-days)")
    public record PriceInput(BigDecimal pricePerLead, String currency, Integer creditWindowDays) {
    }

    @PUT
    @Path("/partners/{partnerId}/price")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putPartnerPrice", summary = "Set a partner's price per accepted lead and credit window")
    @APIResponse(responseCode = "200", description = "Stored")
    @APIResponse(responseCode = "422", description = "Bad price, currency or window", content = @Content(mediaType = "application/problem+json"))
    public Uni<PartnerPrice> putPrice(@PathParam("partnerId") String partnerId, PriceInput in) {
        if (in == null) {
            throw ProblemException.invalid("body", "is required");
        }
        return money.putPrice(partnerId, in.pricePerLead(), in.currency(), in.creditWindowDays());
    }

    @GET
    @Path("/partners/prices")
    @Operation(operationId = "listPartnerPrices", summary = "The partners' prices")
    @APIResponse(responseCode = "200", description = "The prices")
    public Uni<List<PartnerPrice>> prices() {
        return money.prices();
    }

    private static LocalDate day(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return ReportParams.date(field, value, null);
    }
}
