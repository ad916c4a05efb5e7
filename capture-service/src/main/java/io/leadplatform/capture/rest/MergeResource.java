package io.leadplatform.capture.rest;

import io.leadplatform.capture.service.MergeService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Recorded merges: undo. */
@Path("/api/capture/merges")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "identity and privacy")
@SecurityRequirement(name = "SecurityScheme")
public class MergeResource {

    private final MergeService merges;
    private final SecurityIdentity identity;

    public MergeResource(MergeService merges, SecurityIdentity identity) {
        this.merges = merges;
        this.identity = identity;
    }

    @POST
    @Path("/{mergeId}/undo")
    @RolesAllowed({"marketing", "admin"})
    @Operation(operationId = "undoMerge", summary = "Undo a merge: both leads as they were before it",
            description = "Possible while neither lead changed since the merge. Emits lead.updated for both and lead.merged with undone = true.")
    @APIResponse(responseCode = "200", description = "Undone",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MergeView.class)))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    @APIResponse(responseCode = "404", description = "Unknown merge", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "Already undone, a lead changed since, or a lead was erased",
            content = @Content(mediaType = "application/problem+json"))
    public Uni<MergeView> undo(@PathParam("mergeId") UUID mergeId) {
        return merges.undo(mergeId, identity.getPrincipal().getName()).map(MergeView::of);
    }

}
