package io.leadplatform.nurturing.rest;

import io.leadplatform.nurturing.domain.Enrollment;
import io.leadplatform.nurturing.domain.Sequence;
import io.leadplatform.nurturing.domain.SequenceDefinition;
import io.leadplatform.nurturing.service.EnrollmentService;
import io.leadplatform.nurturing.service.SequenceService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sequences: versioned definitions, their enrollments, migration between versions, manual enrollment. */
@Path("/api/nurturing/sequences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "sequences")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class SequenceResource {

    private final SequenceService sequences;

    public SequenceResource(SequenceService sequences) {
        this.sequences = sequences;
    }

    public record SequenceView(UUID id, int version, int currentVersion, SequenceDefinition definition, Instant createdAt) {
        static SequenceView of(Sequence s) {
            return new SequenceView(s.id(), s.version(), s.currentVersion(), s.definition(), s.createdAt());
        }
    }

    public record EnrollRequest(List<UUID> leadIds) {
    }

    public record MigrationRequest(@NotNull @Min(1) Integer fromVersion, @NotNull @Min(1) Integer toVersion, Map<String, String> stepMapping) {
    }

    public record MigrationView(int moved) {
    }

    @POST
    @Operation(operationId = "createSequence", summary = "Create a sequence (version 1), validated")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "422", description = "Invalid: the errors name the step (missing branch target, unknown template, loop without wait)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "400", description = "Malformed JSON or unknown field", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    public Uni<Response> create(@NotNull SequenceDefinition definition, SecurityContext security) {
        return sequences.create(definition, security.getUserPrincipal().getName()).map(s -> Response
                .created(URI.create("/api/nurturing/sequences/" + s.id())).entity(SequenceView.of(s)).build());
    }

    @PUT
    @Path("/{id}")
    @Operation(operationId = "updateSequence", summary = "Save a new version; enrolled leads finish the version they started")
    @APIResponse(responseCode = "200", description = "The new version")
    @APIResponse(responseCode = "404", description = "Unknown sequence", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid definition", content = @Content(mediaType = "application/problem+json"))
    public Uni<SequenceView> update(@PathParam("id") UUID id, @NotNull SequenceDefinition definition, SecurityContext security) {
        return sequences.update(id, definition, security.getUserPrincipal().getName()).map(SequenceView::of);
    }

    @GET
    @Operation(operationId = "listSequences", summary = "All sequences, current versions")
    @APIResponse(responseCode = "200", description = "The sequences")
    public Uni<List<SequenceView>> list() {
        return sequences.list().map(l -> l.stream().map(SequenceView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getSequence", summary = "The current version of a sequence")
    @APIResponse(responseCode = "200", description = "The sequence")
    @APIResponse(responseCode = "404", description = "Unknown sequence", content = @Content(mediaType = "application/problem+json"))
    public Uni<SequenceView> get(@PathParam("id") UUID id) {
        return sequences.get(id, null).map(SequenceView::of);
    }

    @GET
    @Path("/{id}/versions/{version}")
    @Operation(operationId = "getSequenceVersion", summary = "One version of a sequence")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", description = "Unknown sequence or version", content = @Content(mediaType = "application/problem+json"))
    public Uni<SequenceView> version(@PathParam("id") UUID id, @PathParam("version") int version) {
        return sequences.get(id, version).map(SequenceView::of);
    }

    @POST
    @Path("/{id}/migrations")
    @Operation(operationId = "migrateEnrollments", summary = "Move the active enrollments of one version to another (steps kept by id or mapped)")
    @APIResponse(responseCode = "200", description = "How many enrollments moved")
    @APIResponse(responseCode = "404", description = "Unknown sequence or version", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "A current step has no target in the new version", content = @Content(mediaType = "application/problem+json"))
    public Uni<MigrationView> migrate(@PathParam("id") UUID id, @NotNull @jakarta.validation.Valid MigrationRequest request, SecurityContext security) {
        return sequences.migrate(id, request.fromVersion(), request.toVersion(), request.stepMapping(), security.getUserPrincipal().getName())
                .map(MigrationView::new);
    }

    @POST
    @Path("/{id}/enrollments")
    @Operation(operationId = "enrollLeads", summary = "Enroll one lead or a list of leads by hand (current version)")
    @APIResponse(responseCode = "200", description = "Per lead: enrolled (with the enrollment id) or skipped with the reason")
    @APIResponse(responseCode = "404", description = "Unknown sequence", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "No or too many lead ids", content = @Content(mediaType = "application/problem+json"))
    public Uni<List<EnrollmentService.Result>> enroll(@PathParam("id") UUID id, @NotNull EnrollRequest request, SecurityContext security) {
        return sequences.enroll(id, request.leadIds(), security.getUserPrincipal().getName());
    }

    @GET
    @Path("/{id}/enrollments")
    @Operation(operationId = "listSequenceEnrollments", summary = "Enrollments of a sequence, newest first (without history)")
    @APIResponse(responseCode = "200", description = "The enrollments")
    public Uni<List<Enrollment>> enrollments(@PathParam("id") UUID id, @QueryParam("status") String status,
                                             @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return sequences.enrollmentsOfSequence(id, status, limit);
    }
}
