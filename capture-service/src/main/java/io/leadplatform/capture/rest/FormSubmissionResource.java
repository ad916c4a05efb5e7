package io.leadplatform.capture.rest;

import io.leadplatform.capture.service.CaptureService;
import io.leadplatform.capture.service.FormService;
import io.leadplatform.capture.service.SubmissionRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/**
 * Public form submission: no token. It never answers anything about the lead. Spam is answered
 * exactly like success. Cross-origin calls only from the form's allowed origins.
 */
@Path("/api/capture/forms/{formKey}/submissions")
@Tag(name = "forms")
@PermitAll
public class FormSubmissionResource {

    private final CaptureService capture;
    private final FormService forms;

    public FormSubmissionResource(CaptureService capture, FormService forms) {
        this.capture = capture;
        this.forms = forms;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "submitForm", summary = "Submit a form as JSON (public, no token)",
            description = "Stores the lead (a known e-mail updates the existing lead) and emits lead.captured or lead.updated "
                    + "(and lead.optin-requested on a double opt-in form). The render token comes in the header "
                    + "X-Render-Token or as fields.renderToken; the honeypot field in fields. Spam gets the same 202.")
    @APIResponse(responseCode = "202", description = "Received (also for spam, which is not stored)",
            content = @Content(schema = @Schema(implementation = SubmissionReceipt.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Origin not allowed for this form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "413", description = "Body over 1 MB", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "415", description = "Unsupported content type", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid fields (per the form's field rules)", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> submit(@PathParam("formKey") String formKey, @NotNull @Valid SubmissionRequest request,
                                @HeaderParam("Origin") String origin,
                                @Parameter(description = "render token of GET /render") @HeaderParam("X-Render-Token") String renderToken,
                                @Context HttpServerRequest http) {
        return capture.submit(formKey, request, context(origin, renderToken, http))
                .map(outcome -> Response.accepted(new SubmissionReceipt("received")).build());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "submitHtmlForm", summary = "Submit a plain HTML form post (public, no token)",
            description = "Names email, firstName/first_name, lastName/last_name, company, jobTitle/job_title, phone, country, "
                    + "visitorId, utm_source … utm_content map to the lead; consent=on grants every purpose of the form's consent "
                    + "text, consent_<purpose>=on one purpose; renderToken and the honeypot field are anti-spam; every other name "
                    + "goes to fields. Success (and spam) is a 303 to the form's success redirect (202 when it has none); invalid "
                    + "input is a 422 problem.")
    @APIResponse(responseCode = "303", description = "Received: redirect to the form's success page")
    @APIResponse(responseCode = "202", description = "Received (form without success redirect)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubmissionReceipt.class)))
    @APIResponse(responseCode = "403", description = "Origin not allowed for this form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "413", description = "Body over 1 MB", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid fields", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> submitHtml(@PathParam("formKey") String formKey, MultivaluedMap<String, String> form,
                                    @HeaderParam("Origin") String origin, @Context HttpServerRequest http) {
        return capture.submitHtml(formKey, form, context(origin, null, http))
                .map(outcome -> outcome.successRedirect() != null
                        ? Response.seeOther(URI.create(outcome.successRedirect())).build()
                        : Response.accepted(new SubmissionReceipt("received")).type(MediaType.APPLICATION_JSON).build());
    }

    @OPTIONS
    @Operation(operationId = "preflightFormSubmission", summary = "CORS preflight of a form submission (public)",
            description = "204 with Access-Control-Allow-Origin for an origin the form allows; 403 for any other origin.")
    @APIResponse(responseCode = "204", description = "Allowed")
    @APIResponse(responseCode = "403", description = "Origin not allowed for this form", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown form", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> preflight(@PathParam("formKey") String formKey, @HeaderParam("Origin") String origin) {
        return forms.preflight(formKey, origin).map(form -> Response.noContent()
                .header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type, X-Render-Token")
                .header("Access-Control-Max-Age", "600")
                .build());
    }

    static CaptureService.SubmissionContext context(String origin, String renderToken, HttpServerRequest http) {
        String ip = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return new CaptureService.SubmissionContext(origin, ip, renderToken);
    }

    /** What a submitter learns: only that the submission was received. */
    public record SubmissionReceipt(String status) {
    }
}
