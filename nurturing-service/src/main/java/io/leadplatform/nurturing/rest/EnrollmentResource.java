package io.leadplatform.nurturing.rest;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.domain.Enrollment;
import io.leadplatform.nurturing.service.SequenceService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
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

import java.util.List;
import java.util.UUID;

/** Enrollments: where a lead stands in a sequence and what happened, with reasons. */
@Path("/api/nurturing/enrollments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "enrollments")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class EnrollmentResource {

    private final SequenceService sequences;

    public EnrollmentResource(SequenceService sequences) {
        this.sequences = sequences;
    }

    @GET
    @Operation(operationId = "listLeadEnrollments", summary = "The enrollments of a lead (without history)")
    @APIResponse(responseCode = "200", description = "The enrollments")
    @APIResponse(responseCode = "422", description = "leadId missing", content = @Content(mediaType = "application/problem+json"))
    public Uni<List<Enrollment>> byLead(@QueryParam("leadId") UUID leadId) {
        if (leadId == null) {
            throw ProblemException.invalid("leadId", "is required");
        }
        return sequences.enrollmentsOfLead(leadId);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getEnrollment", summary = "An enrollment: current step, next due time, history with reasons")
    @APIResponse(responseCode = "200", description = "The enrollment")
    @APIResponse(responseCode = "404", description = "Unknown enrollment", content = @Content(mediaType = "application/problem+json"))
    public Uni<Enrollment> get(@PathParam("id") UUID id) {
        return sequences.enrollmentOf(id);
    }
}
