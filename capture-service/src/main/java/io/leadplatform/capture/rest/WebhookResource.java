package io.leadplatform.capture.rest;

import io.leadplatform.capture.service.WebhookService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;

/** Signed partner posts: public at the gateway, the Standard Webhooks signature is the authentication. */
@Path("/api/capture/webhooks/{partnerId}")
@Tag(name = "partners")
@PermitAll
public class WebhookResource {

    private final WebhookService webhooks;

    public WebhookResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "postPartnerLeads", summary = "A partner posts one lead or a batch (signed, Standard Webhooks)",
            description = "Verified with the partner's secret (HMAC-SHA256 over `webhook-id.webhook-timestamp.body`, 5-minute "
                    + "tolerance). Each lead is answered `accepted` (new lead, lead.captured emitted), `duplicate` (e-mail already "
                    + "known from any source; the existing lead is left as it is) or `rejected` with per-field errors. The same "
                    + "webhook-id again gets exactly the first answer and stores nothing. See docs/partner-integration.md.")
    @Parameter(name = "webhook-id", in = ParameterIn.HEADER, required = true, description = "unique message id (idempotency key)")
    @Parameter(name = "webhook-timestamp", in = ParameterIn.HEADER, required = true, description = "Unix seconds")
    @Parameter(name = "webhook-signature", in = ParameterIn.HEADER, required = true, description = "v1,<base64 HMAC-SHA256>")
    @APIResponse(responseCode = "200", description = "Per-lead outcome",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookService.Result.class)))
    @APIResponse(responseCode = "400", description = "Body is not JSON", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "Missing or wrong signature, stale timestamp, unknown or inactive partner",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "A concurrent post stored the same lead; post again", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "413", description = "Body over 1 MB", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "415", description = "Not application/json", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "No lead in the body, or more than 1000", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> post(@PathParam("partnerId") String partnerId, byte[] body, @Context HttpHeaders headers) {
        return webhooks.receive(partnerId, new String(body, StandardCharsets.UTF_8), headers.getRequestHeaders())
                .map(answer -> Response.status(answer.status())
                        .type(answer.status() == 200 ? MediaType.APPLICATION_JSON : "application/problem+json")
                        .entity(answer.body()).build());
    }
}
