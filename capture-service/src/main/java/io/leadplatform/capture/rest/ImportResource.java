package io.leadplatform.capture.rest;

import io.leadplatform.capture.domain.ImportJob;
import io.leadplatform.capture.service.ImportService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.UUID;

/** CSV contact-list imports (marketing, admin): upload, progress, per-row errors. Blocking file work runs on workers. */
@Path("/api/capture/imports")
@Tag(name = "imports")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class ImportResource {

    private final ImportService imports;
    private final SecurityIdentity identity;

    public ImportResource(ImportService imports, SecurityIdentity identity) {
        this.imports = imports;
        this.identity = identity;
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startImport", summary = "Upload a CSV contact list with its column mapping; it is imported in the background",
            description = "The upload is streamed to a temporary file; the header and the CSV syntax are checked in one pass, "
                    + "then rows are imported in batches (source `import`, sourceRef = listName, lead.captured per new lead). "
                    + "Known e-mails (from any source) are duplicates and left unchanged. No consent unless a mapped column grants it.")
    @APIResponse(responseCode = "202", description = "Queued; poll the job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportJobView.class)))
    @APIResponse(responseCode = "400", description = "Not CSV (unbalanced quotes, duplicate header names, empty file)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "413", description = "File larger than the configured limit", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "415", description = "Not multipart/form-data", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Missing part, bad mapping, or a mapped column missing from the header",
            content = @Content(mediaType = "application/problem+json"))
    public Response start(ImportUpload upload) {
        ImportJob job = imports.start(new ImportService.Upload(
                upload.file == null ? null : upload.file.uploadedFile(),
                upload.file == null ? null : upload.file.fileName(),
                upload.mapping, upload.listName, upload.channel, upload.campaign,
                identity.getPrincipal() == null ? null : identity.getPrincipal().getName()));
        return Response.accepted(ImportJobView.of(job)).location(URI.create("/api/capture/imports/" + job.id)).build();
    }

    @GET
    @Path("/{jobId}")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getImport", summary = "An import's state and progress (rows read, accepted, duplicates, errors)")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown job", content = @Content(mediaType = "application/problem+json"))
    public ImportJobView get(@PathParam("jobId") UUID jobId) {
        return ImportJobView.of(imports.get(jobId));
    }

    @GET
    @Path("/{jobId}/errors")
    @Blocking
    @Produces("text/csv")
    @Operation(operationId = "getImportErrors", summary = "The per-row errors of an import as CSV: row, field, message",
            description = "row is the line in the uploaded file (the header is row 1); duplicates are listed too.")
    @APIResponse(responseCode = "200", description = "CSV", content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown job", content = @Content(mediaType = "application/problem+json"))
    public Response errors(@PathParam("jobId") UUID jobId) {
        return Response.ok(imports.errorsCsv(jobId), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"import-" + jobId + "-errors.csv\"").build();
    }
}
