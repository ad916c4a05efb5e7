package io.leadplatform.capture.rest;

import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.capture.service.LeadQueryService;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Lead read API for marketing and sales. */
@Path("/api/capture/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "leads")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "sales", "admin"})
public class LeadResource {

    private final LeadQueryService query;

    public LeadResource(LeadQueryService query) {
        this.query = query;
    }

    @GET
    @Operation(operationId = "searchLeads", summary = "Search leads, newest first, with cursor pagination")
    @APIResponse(responseCode = "200", description = "One page of leads")
    @APIResponse(responseCode = "400", description = "Bad filter or cursor", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing, sales or admin")
    public Uni<LeadView.Page> search(@QueryParam("email") String email, @QueryParam("channel") String channel,
                                     @QueryParam("source") String source, @QueryParam("campaign") String campaign,
                                     @QueryParam("from") String from, @QueryParam("to") String to,
                                     @QueryParam("cursor") String cursor,
                                     @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        Instant afterAt = null;
        UUID afterId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                afterAt = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw ProblemException.invalid("cursor", "is not a cursor this API returned");
            }
        }
        var filter = new LeadRepository.LeadFilter(email, channel, source, campaign,
                instant("from", from), instant("to", to), afterAt, afterId);
        return query.search(filter, limit).map(leads -> page(leads, limit));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getLead", summary = "A lead's detail")
    @APIResponse(responseCode = "200", description = "The lead")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing, sales or admin")
    public Uni<LeadView> get(@PathParam("id") UUID id) {
        return query.get(id).map(LeadView::of);
    }

    private static LeadView.Page page(List<Lead> leads, int limit) {
        String next = null;
        if (leads.size() == limit) {
            Lead last = leads.get(leads.size() - 1);
            next = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((last.createdAt + "|" + last.id).getBytes(StandardCharsets.UTF_8));
        }
        return new LeadView.Page(leads.stream().map(LeadView::of).toList(), next);
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z");
        }
    }
}
