package io.leadplatform.capture.rest;

import io.leadplatform.capture.service.CaptureService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Public form submission: no token. It never answers anything about the lead. */
@Path("/api/capture/forms/{formKey}/submissions")
@Tag(name = "forms")
@PermitAll
public class FormSubmissionResource {

    private final CaptureService capture;

    public FormSubmissionResource(CaptureService capture) {
        this.capture = capture;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "submitForm", summary = "Submit a form (public, no token)",
            description = "Stores the lead (a known e-mail updates the existing lead) and emits lead.captured or lead.updated.")
    @APIResponse(responseCode = "202", description = "Received",
            content = @Content(schema = @Schema(implementation = SubmissionReceipt.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "415", description = "Unsupported content type", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid fields", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> submit(@PathParam("formKey") String formKey, @NotNull @Valid SubmissionRequest request) {
        return capture.submit(formKey, request)
                .map(outcome -> Response.accepted(new SubmissionReceipt("received")).build());
    }

    /** What a submitter learns: only that the submission was received. */
    public record SubmissionReceipt(String status) {
    }
}
