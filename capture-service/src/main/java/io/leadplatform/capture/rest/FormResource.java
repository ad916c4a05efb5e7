package io.leadplatform.capture.rest;

import io.leadplatform.capture.service.CaptureService;
import io.leadplatform.capture.service.FormService;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Marketing defines forms; public front ends render them; visitors confirm their double opt-in. */
@Path("/api/capture/forms")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "forms")
public class FormResource {

    private final FormService forms;
    private final CaptureService capture;

    public FormResource(FormService forms, CaptureService capture) {
        this.forms = forms;
        this.capture = capture;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"marketing", "admin"})
    @SecurityRequirement(name = "SecurityScheme")
    @Operation(operationId = "createForm", summary = "Define a form")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = FormDefinition.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    @APIResponse(responseCode = "409", description = "The key is taken", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid definition, per field", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> create(FormDefinition definition) {
        return forms.create(definition).map(form -> Response.created(URI.create("/api/capture/forms/" + form.formKey))
                .entity(FormDefinition.of(form)).build());
    }

    @GET
    @RolesAllowed({"marketing", "admin"})
    @SecurityRequirement(name = "SecurityScheme")
    @Operation(operationId = "listForms", summary = "All forms, by key")
    @APIResponse(responseCode = "200", description = "The forms")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    public Uni<List<FormDefinition>> list() {
        return forms.list().map(all -> all.stream().map(FormDefinition::of).toList());
    }

    @GET
    @Path("/{formKey}")
    @RolesAllowed({"marketing", "admin"})
    @SecurityRequirement(name = "SecurityScheme")
    @Operation(operationId = "getForm", summary = "A form's definition")
    @APIResponse(responseCode = "200", description = "The form")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    public Uni<FormDefinition> get(@PathParam("formKey") String formKey) {
        return forms.find(formKey).map(FormDefinition::of);
    }

    @PUT
    @Path("/{formKey}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"marketing", "admin"})
    @SecurityRequirement(name = "SecurityScheme")
    @Operation(operationId = "updateForm", summary = "Replace a form's definition (its key stays)")
    @APIResponse(responseCode = "200", description = "The updated form")
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid definition, per field", content = @Content(mediaType = "application/problem+json"))
    public Uni<FormDefinition> update(@PathParam("formKey") String formKey, FormDefinition definition) {
        return forms.update(formKey, definition).map(FormDefinition::of);
    }

    @GET
    @Path("/{formKey}/stats")
    @RolesAllowed({"marketing", "admin"})
    @SecurityRequirement(name = "SecurityScheme")
    @Operation(operationId = "getFormStats", summary = "Submissions and spam by reason of a form in a period (default: the last 30 days)")
    @APIResponse(responseCode = "200", description = "The counts")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Bad period", content = @Content(mediaType = "application/problem+json"))
    public Uni<FormDefinition.Stats> stats(@PathParam("formKey") String formKey, @QueryParam("from") String from,
                                           @QueryParam("to") String to) {
        Instant end = to == null ? Instant.now() : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.invalid("from", "must be before to");
        }
        return forms.stats(formKey, start, end);
    }

    @GET
    @Path("/{formKey}/render")
    @PermitAll
    @Operation(operationId = "renderForm", summary = "What a front end needs to render a form (public, no token)",
            description = "Fields, consent text, the honeypot field's name and a fresh signed render token to send back with "
                    + "the submission (minimum fill time). Cross-origin only from the form's allowed origins.")
    @APIResponse(responseCode = "200", description = "The form to render")
    @APIResponse(responseCode = "403", description = "Origin not allowed for this form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> render(@PathParam("formKey") String formKey, @HeaderParam("Origin") String origin) {
        return forms.render(formKey, origin).map(r -> Response.ok(r).header("Cache-Control", "no-store").build());
    }

    @GET
    @Path("/{formKey}/confirm")
    @PermitAll
    @Operation(operationId = "confirmOptIn", summary = "Confirm a double opt-in (the link of the confirmation e-mail; public)",
            description = "Verifies the signed, expiring token, confirms the lead (lead.updated with its consents now in force) "
                    + "and redirects to the form's confirmation (or success) page. Using the link again changes nothing.")
    @APIResponse(responseCode = "303", description = "Confirmed: redirect to the form's confirmation page")
    @APIResponse(responseCode = "200", description = "Confirmed (form without redirect)")
    @APIResponse(responseCode = "400", description = "Forged or malformed token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "410", description = "Expired link, or the lead was erased", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> confirm(@PathParam("formKey") String formKey, @QueryParam("token") String token) {
        return capture.confirm(formKey, token).map(target -> target != null
                ? Response.seeOther(URI.create(target)).build()
                : Response.ok(new FormSubmissionResource.SubmissionReceipt("confirmed")).build());
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z");
        }
    }
}
