package io.leadplatform.nurturing.rest.webhook;

import io.leadplatform.nurturing.service.webhook.EspNotificationService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;

/** Bounce and complaint notifications from the e-mail provider: public at the gateway, the signature is the authentication. */
@Path("/api/nurturing/webhooks/esp")
@Tag(name = "webhooks")
@PermitAll
public class EspWebhookResource {

    private final EspNotificationService notifications;

    public EspWebhookResource(EspNotificationService notifications) {
        this.notifications = notifications;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "postEspNotification", summary = "An e-mail provider reports a bounce or complaint (signed, Standard Webhooks)",
            description = "Verified with nurturing.webhooks.esp.secret (HMAC-SHA256 over `webhook-id.webhook-timestamp.body`, "
                    + "5-minute tolerance). Body: `{\"type\": \"email.bounced\" | \"email.complained\", \"timestamp\": ..., \"data\": "
                    + "{\"email\", \"bounceType\": \"hard\" | \"soft\" (bounces only), \"reason\", \"messageId\", \"occurredAt\"}}`. "
                    + "A hard bounce or a complaint suppresses the address; for a known lead an email.event goes out on "
                    + "nurturing.events. The same webhook-id again gets the first answer and changes nothing.")
    @Parameter(name = "webhook-id", in = ParameterIn.HEADER, required = true, description = "unique message id (idempotency key)")
    @Parameter(name = "webhook-timestamp", in = ParameterIn.HEADER, required = true, description = "Unix seconds")
    @Parameter(name = "webhook-signature", in = ParameterIn.HEADER, required = true, description = "v1,<base64 HMAC-SHA256>")
    @APIResponse(responseCode = "200", description = "Recorded: `{webhookId, kind, bounceType, suppressed, leadId}`")
    @APIResponse(responseCode = "400", description = "Body is not a JSON object", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "Missing or wrong signature, stale timestamp", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Unknown type, missing e-mail ... (the problem names the field)",
            content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> post(byte[] body, @Context HttpHeaders headers) {
        return notifications.receive(new String(body, StandardCharsets.UTF_8), headers.getRequestHeaders())
                .map(answer -> Response.status(answer.status())
                        .type(answer.status() == 200 ? MediaType.APPLICATION_JSON : "application/problem+json")
                        .entity(answer.body()).build());
    }
}
