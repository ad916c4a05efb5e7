package io.leadplatform.nurturing.rest;

import io.leadplatform.nurturing.domain.EmailTemplate;
import io.leadplatform.nurturing.service.Renderer;
import io.leadplatform.nurturing.service.TemplateService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** E-mail templates (Qute): save, read, preview, test send. */
@Path("/api/nurturing/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "templates")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class TemplateResource {

    private final TemplateService templates;

    public TemplateResource(TemplateService templates) {
        this.templates = templates;
    }

    /** A template as written: Qute in subject, html and text; variables {@value Renderer#VARIABLES}. */
    public record TemplateRequest(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 500) String subject,
                                  @NotBlank @Size(max = 200_000) String html, @Size(max = 200_000) String text, boolean transactional) {
    }

    public record TemplateView(String id, String name, String subject, String html, String text, boolean transactional,
                               Instant updatedAt, String updatedBy) {
        static TemplateView of(EmailTemplate t) {
            return new TemplateView(t.id(), t.name(), t.subject(), t.html(), t.text(), t.transactional(), t.updatedAt(), t.updatedBy());
        }
    }

    public record PreviewRequest(UUID leadId, Map<String, String> variables) {
    }

    public record TestSendRequest(@NotBlank @Size(max = 320) String to, Map<String, String> variables) {
    }

    public record TestSendView(UUID emailId) {
    }

    @PUT
    @Path("/{id}")
    @Operation(operationId = "saveTemplate", summary = "Create or replace a template; it is rendered with sample data first")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "422", description = "Invalid template (Qute syntax, unknown variable)", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    public Uni<Response> save(@PathParam("id") String id, @NotNull @Valid TemplateRequest request, SecurityContext security) {
        EmailTemplate t = new EmailTemplate(id, request.name(), request.subject(), request.html(), request.text(), request.transactional(),
                Instant.now(), security.getUserPrincipal().getName());
        return templates.save(t).chain(created -> templates.get(id).map(saved ->
                Response.status(created ? 201 : 200).entity(TemplateView.of(saved)).build()));
    }

    @GET
    @Operation(operationId = "listTemplates", summary = "All templates")
    @APIResponse(responseCode = "200", description = "The templates")
    public Uni<List<TemplateView>> list() {
        return templates.list().map(l -> l.stream().map(TemplateView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getTemplate", summary = "One template")
    @APIResponse(responseCode = "200", description = "The template")
    @APIResponse(responseCode = "404", description = "Unknown template", content = @Content(mediaType = "application/problem+json"))
    public Uni<TemplateView> get(@PathParam("id") String id) {
        return templates.get(id).map(TemplateView::of);
    }

    @POST
    @Path("/{id}/preview")
    @Operation(operationId = "previewTemplate", summary = "Render for a lead (or sample data) without sending")
    @APIResponse(responseCode = "200", description = "Subject, HTML and text as they would be sent (without tracking)")
    @APIResponse(responseCode = "404", description = "Unknown template", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    public Uni<Renderer.Rendered> preview(@PathParam("id") String id, PreviewRequest request) {
        return templates.preview(id, request == null ? null : request.leadId(),
                request == null || request.variables() == null ? Map.of() : request.variables());
    }

    @POST
    @Path("/{id}/test-send")
    @Operation(operationId = "testSendTemplate", summary = "Send the template with sample data to one address now (marked test, transactional)")
    @APIResponse(responseCode = "202", description = "Queued; the id of the test mail")
    @APIResponse(responseCode = "404", description = "Unknown template", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Not an address", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> testSend(@PathParam("id") String id, @NotNull @Valid TestSendRequest request) {
        return templates.testSend(id, request.to(), request.variables() == null ? Map.of() : request.variables())
                .map(emailId -> Response.accepted(new TestSendView(emailId)).build());
    }
}
