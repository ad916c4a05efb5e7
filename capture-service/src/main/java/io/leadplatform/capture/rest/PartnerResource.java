package io.leadplatform.capture.rest;

import io.leadplatform.capture.service.PartnerService;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Partner registration (admin) and a partner's own record and report (admin or that partner). */
@Path("/api/capture/partners")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "partners")
@SecurityRequirement(name = "SecurityScheme")
public class PartnerResource {

    private final PartnerService partners;
    private final SecurityIdentity identity;

    public PartnerResource(PartnerService partners, SecurityIdentity identity) {
        this.partners = partners;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(operationId = "createPartner", summary = "Register a partner; its webhook secret is in this answer only")
    @APIResponse(responseCode = "201", description = "Registered, with `secret` (whsec_…) shown once",
            content = @Content(schema = @Schema(implementation = PartnerView.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not admin", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "The id is taken", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid fields or mapping", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> create(@NotNull @Valid PartnerRequest request) {
        return partners.create(request)
                .map(view -> Response.created(URI.create("/api/capture/partners/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed("admin")
    @Operation(operationId = "listPartners", summary = "All partners (without secrets)")
    @APIResponse(responseCode = "200", description = "The partners")
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<List<PartnerView>> list() {
        return partners.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"admin", "partner"})
    @Operation(operationId = "getPartner", summary = "A partner (admin, or the partner itself: token claim partner_id)")
    @APIResponse(responseCode = "200", description = "The partner, without its secret")
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Neither admin nor this partner", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown partner", content = @Content(mediaType = "application/problem+json"))
    public Uni<PartnerView> get(@PathParam("id") String id) {
        requireAdminOrSelf(id);
        return partners.get(id);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(operationId = "updatePartner", summary = "Change a partner's name, channel, campaign, active flag or mapping")
    @APIResponse(responseCode = "200", description = "The partner")
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not admin", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown partner", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid fields or mapping", content = @Content(mediaType = "application/problem+json"))
    public Uni<PartnerView> update(@PathParam("id") String id, @NotNull @Valid PartnerRequest request) {
        return partners.update(id, request);
    }

    @POST
    @Path("/{id}/secret")
    @RolesAllowed("admin")
    @Operation(operationId = "rotatePartnerSecret", summary = "A new webhook secret (shown once); the old one stays valid for 24 hours")
    @APIResponse(responseCode = "200", description = "The partner with its new `secret`")
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not admin", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown partner", content = @Content(mediaType = "application/problem+json"))
    public Uni<PartnerView> rotate(@PathParam("id") String id) {
        return partners.rotateSecret(id);
    }

    @GET
    @Path("/{id}/report")
    @RolesAllowed({"admin", "partner"})
    @Operation(operationId = "partnerReport", summary = "Accepted, duplicate and rejected leads of a partner in [from, to)",
            description = "Counts over the partner's verified posts received in the period (default: all time). "
                    + "`accepted` is the number of valid new leads, the basis for paying a partner.")
    @APIResponse(responseCode = "200", description = "The counts", content = @Content(schema = @Schema(implementation = PartnerView.Report.class)))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Neither admin nor this partner", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown partner", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "from/to not ISO-8601 instants", content = @Content(mediaType = "application/problem+json"))
    public Uni<PartnerView.Report> report(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        requireAdminOrSelf(id);
        return partners.report(id, instant("from", from), instant("to", to));
    }

    private void requireAdminOrSelf(String id) {
        if (identity.hasRole("admin")) {
            return;
        }
        Object claim = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim("partner_id") : null;
        if (claim == null || !id.equals(claim.toString().replace("\"", ""))) {
            throw new ProblemException(Problem.of(403, "Forbidden", "a partner may only read its own record"));
        }
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
