package io.leadplatform.capture.rest;

import io.leadplatform.capture.service.ConsentService;
import io.leadplatform.capture.service.ErasureService;
import io.leadplatform.capture.service.LeadHistoryService;
import io.leadplatform.capture.service.MergeService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import java.util.List;
import java.util.UUID;

/** A lead's identity and privacy: merge, timeline, consent withdrawal, GDPR export and erasure (same root as {@link LeadResource}). */
@Path("/api/capture/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "identity and privacy")
@SecurityRequirement(name = "SecurityScheme")
public class LeadIdentityResource {

    private final MergeService merges;
    private final LeadHistoryService history;
    private final ConsentService consents;
    private final ErasureService erasure;
    private final SecurityIdentity identity;

    public LeadIdentityResource(MergeService merges, LeadHistoryService history, ConsentService consents,
                                ErasureService erasure, SecurityIdentity identity) {
        this.merges = merges;
        this.history = history;
        this.consents = consents;
        this.erasure = erasure;
        this.identity = identity;
    }

    @POST
    @Path("/{id}/merge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"marketing", "admin"})
    @Operation(operationId = "mergeLeads", summary = "Merge another lead into this one (verified identity: an authenticated call)",
            description = "The survivor keeps the other's activity, visitor ids, consents (per purpose the most recent record) "
                    + "and the profile fields it lacks; the other is marked merged. Recorded with who, when and both snapshots; "
                    + "emits lead.updated (survivor) and lead.merged (the other).")
    @APIResponse(responseCode = "201", description = "Merged",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MergeView.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "A lead is already merged or erased", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid fields (otherLeadId unknown or the same lead, reason missing)",
            content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> merge(@PathParam("id") UUID id, @NotNull @Valid MergeRequest request) {
        return merges.merge(id, request.otherLeadId(), request.reason().trim(), actor())
                .map(m -> Response.status(Response.Status.CREATED).entity(MergeView.of(m)).build());
    }

    @GET
    @Path("/{id}/timeline")
    @RolesAllowed({"marketing", "sales", "admin"})
    @Operation(operationId = "getLeadTimeline", summary = "A lead's timeline: submissions, activities, consent changes, merges; newest first")
    @APIResponse(responseCode = "200", description = "The timeline",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
                            implementation = LeadHistoryService.TimelineEntry.class)))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing, sales or admin")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Bad limit", content = @Content(mediaType = "application/problem+json"))
    public Uni<List<LeadHistoryService.TimelineEntry>> timeline(@PathParam("id") UUID id,
                                                                @QueryParam("limit") @DefaultValue("200") @Min(1) @Max(1000) int limit) {
        return history.timeline(id, limit);
    }

    @POST
    @Path("/{id}/consents/{purpose}/withdraw")
    @RolesAllowed({"marketing", "admin"})
    @Operation(operationId = "withdrawConsent", summary = "Record the withdrawal of a consent",
            description = "Recorded with purpose, the text version that was granted, time and who; the lead's consent shows "
                    + "granted = false and lead.updated carries it. A purpose never granted is recorded as refused. "
                    + "Withdrawing again changes nothing and emits nothing.")
    @APIResponse(responseCode = "200", description = "The lead with the withdrawn consent",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LeadView.class)))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    @APIResponse(responseCode = "404", description = "Unknown or erased lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid purpose", content = @Content(mediaType = "application/problem+json"))
    public Uni<LeadView> withdraw(@PathParam("id") UUID id,
                                  @PathParam("purpose") @Pattern(regexp = "[A-Za-z0-9_.:-]{1,100}",
                                          message = "must be 1-100 letters, digits or _.:-") String purpose) {
        return consents.withdraw(id, purpose, actor()).map(LeadView::of);
    }

    @GET
    @Path("/{id}/export")
    @RolesAllowed("admin")
    @Operation(operationId = "exportLead", summary = "GDPR export: everything held on the lead",
            description = "Profile, consents and consent history, submissions, website activity, visitor ids and merges.")
    @APIResponse(responseCode = "200", description = "The export",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LeadHistoryService.Export.class)))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not admin")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> export(@PathParam("id") UUID id) {
        return history.export(id).map(export -> Response.ok(export)
                .header("Content-Disposition", "attachment; filename=\"lead-" + id + ".json\"").build());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(operationId = "eraseLead", summary = "GDPR erasure: remove or anonymise the lead's personal data",
            description = "The e-mail becomes an irreversible hash placeholder; names, company, job title, phone, fields, "
                    + "consents and submission payloads are cleared; website activity is unlinked; aggregates (source, "
                    + "channel, campaign, UTM, country, dates) stay. Emits lead.erased. Idempotent: erasing an erased lead "
                    + "answers 204 again and emits nothing.")
    @APIResponse(responseCode = "204", description = "Erased (now or before)")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not admin")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> erase(@PathParam("id") UUID id) {
        return erasure.erase(id).map(erasedNow -> Response.noContent().build());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
