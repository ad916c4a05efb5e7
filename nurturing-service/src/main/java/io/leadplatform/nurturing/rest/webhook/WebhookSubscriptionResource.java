package io.leadplatform.nurturing.rest.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.domain.webhook.WebhookDelivery;
import io.leadplatform.nurturing.domain.webhook.WebhookEventType;
import io.leadplatform.nurturing.rest.webhook.WebhookViews.DeliveryDetailView;
import io.leadplatform.nurturing.rest.webhook.WebhookViews.DeliveryView;
import io.leadplatform.nurturing.rest.webhook.WebhookViews.EventTypeView;
import io.leadplatform.nurturing.rest.webhook.WebhookViews.ReplayRequest;
import io.leadplatform.nurturing.rest.webhook.WebhookViews.ReplayResult;
import io.leadplatform.nurturing.rest.webhook.WebhookViews.SubscriptionRequest;
import io.leadplatform.nurturing.rest.webhook.WebhookViews.SubscriptionView;
import io.leadplatform.nurturing.service.webhook.WebhookDeliveryService;
import io.leadplatform.nurturing.service.webhook.WebhookSubscriptionService;
import io.leadplatform.nurturing.service.webhook.WebhookSubscriptionService.SubscriptionCommand;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Outbound webhooks: subscriptions, their delivery log, replay and a test event. Admin only. */
@Path("/api/nurturing/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed("admin")
@APIResponse(responseCode = "401", description = "No valid token")
@APIResponse(responseCode = "403", description = "Not admin")
public class WebhookSubscriptionResource {

    private static final String PROBLEM = "application/problem+json";

    private final WebhookSubscriptionService subscriptions;
    private final WebhookDeliveryService deliveries;
    private final ObjectMapper mapper;

    public WebhookSubscriptionResource(WebhookSubscriptionService subscriptions, WebhookDeliveryService deliveries, ObjectMapper mapper) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.mapper = mapper;
    }

    @GET
    @Path("/event-types")
    @Operation(operationId = "listWebhookEventTypes", summary = "The event types a subscription can ask for")
    public List<EventTypeView> eventTypes() {
        return Arrays.stream(WebhookEventType.values()).filter(WebhookEventType::subscribable)
                .map(t -> new EventTypeView(t.type(), t.description())).toList();
    }

    @POST
    @Path("/subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhookSubscription", summary = "Subscribe a URL to event types",
            description = "Answers the subscription with its Standard Webhooks signing secret (whsec_...), shown only here.")
    @APIResponse(responseCode = "201", description = "Created, with `secret`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "400", description = "Body is not JSON", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "422", description = "Invalid URL or unknown event type (the problem names the field)",
            content = @Content(mediaType = PROBLEM))
    public Uni<Response> create(SubscriptionRequest body) {
        return subscriptions.create(command(body)).map(s -> Response
                .created(URI.create("/api/nurturing/webhooks/subscriptions/" + s.id()))
                .entity(SubscriptionView.of(s, true)).build());
    }

    @GET
    @Path("/subscriptions")
    @Operation(operationId = "listWebhookSubscriptions", summary = "All subscriptions (without secrets)")
    public Uni<List<SubscriptionView>> list() {
        return subscriptions.list().map(all -> all.stream().map(s -> SubscriptionView.of(s, false)).toList());
    }

    @GET
    @Path("/subscriptions/{id}")
    @Operation(operationId = "getWebhookSubscription", summary = "One subscription (without its secret)")
    @APIResponse(responseCode = "200", description = "The subscription")
    @APIResponse(responseCode = "404", description = "Unknown subscription", content = @Content(mediaType = PROBLEM))
    public Uni<SubscriptionView> get(@PathParam("id") UUID id) {
        return subscriptions.get(id).map(s -> SubscriptionView.of(s, false));
    }

    @PUT
    @Path("/subscriptions/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateWebhookSubscription", summary = "Change URL, event types, description, active; the secret stays")
    @APIResponse(responseCode = "200", description = "The changed subscription")
    @APIResponse(responseCode = "400", description = "Body is not JSON", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "404", description = "Unknown subscription", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "422", description = "Invalid field (named in the problem)", content = @Content(mediaType = PROBLEM))
    public Uni<SubscriptionView> update(@PathParam("id") UUID id, SubscriptionRequest body) {
        return subscriptions.update(id, command(body)).map(s -> SubscriptionView.of(s, false));
    }

    @DELETE
    @Path("/subscriptions/{id}")
    @Operation(operationId = "deleteWebhookSubscription", summary = "Delete a subscription with its delivery log")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown subscription", content = @Content(mediaType = PROBLEM))
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return subscriptions.delete(id).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/subscriptions/{id}/secret")
    @Operation(operationId = "rotateWebhookSecret", summary = "Replace the signing secret; the new one is shown only here")
    @APIResponse(responseCode = "200", description = "The subscription with its new `secret`")
    @APIResponse(responseCode = "404", description = "Unknown subscription", content = @Content(mediaType = PROBLEM))
    public Uni<SubscriptionView> rotateSecret(@PathParam("id") UUID id) {
        return subscriptions.rotateSecret(id).map(s -> SubscriptionView.of(s, true));
    }

    @POST
    @Path("/subscriptions/{id}/test")
    @Operation(operationId = "sendWebhookTest", summary = "Send a webhook.test event now and answer how the receiver took it",
            description = "One signed attempt, logged like any delivery; a failed test is not retried (status dead), it can be replayed.")
    @APIResponse(responseCode = "200", description = "The test delivery with its attempt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryDetailView.class)))
    @APIResponse(responseCode = "404", description = "Unknown subscription", content = @Content(mediaType = PROBLEM))
    public Uni<DeliveryDetailView> test(@PathParam("id") UUID id) {
        return deliveries.sendTest(id).map(d -> DeliveryDetailView.of(d, mapper));
    }

    @GET
    @Path("/subscriptions/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The delivery log of a subscription, newest first")
    @APIResponse(responseCode = "200", description = "Deliveries")
    @APIResponse(responseCode = "404", description = "Unknown subscription", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "422", description = "Bad status, before or limit", content = @Content(mediaType = PROBLEM))
    public Uni<List<DeliveryView>> deliveries(@PathParam("id") UUID id,
                                              @Parameter(description = "pending, succeeded or dead") @QueryParam("status") String status,
                                              @Parameter(description = "only deliveries created before this instant (paging)") @QueryParam("before") String before,
                                              @Parameter(description = "at most this many (1-500, default 50)") @QueryParam("limit") Integer limit) {
        return deliveries.log(id, status(status), instant("before", before), limit)
                .map(list -> list.stream().map(DeliveryView::of).toList());
    }

    @GET
    @Path("/subscriptions/{id}/deliveries/{deliveryId}")
    @Operation(operationId = "getWebhookDelivery", summary = "One delivery with its body and every attempt (status, latency, answer excerpt)")
    @APIResponse(responseCode = "200", description = "The delivery")
    @APIResponse(responseCode = "404", description = "Unknown delivery", content = @Content(mediaType = PROBLEM))
    public Uni<DeliveryDetailView> delivery(@PathParam("id") UUID id, @PathParam("deliveryId") UUID deliveryId) {
        return deliveries.get(id, deliveryId).map(d -> DeliveryDetailView.of(d, mapper));
    }

    @POST
    @Path("/subscriptions/{id}/deliveries/{deliveryId}/replay")
    @Operation(operationId = "replayWebhookDelivery", summary = "Send one delivery again now, with a fresh round of retries",
            description = "Same webhook-id and body as before, signed anew.")
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryDetailView.class)))
    @APIResponse(responseCode = "404", description = "Unknown delivery", content = @Content(mediaType = PROBLEM))
    public Uni<Response> replay(@PathParam("id") UUID id, @PathParam("deliveryId") UUID deliveryId) {
        return deliveries.replay(id, deliveryId).map(d -> Response.accepted(DeliveryDetailView.of(d, mapper)).build());
    }

    @POST
    @Path("/subscriptions/{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "replayWebhookPeriod", summary = "Send again the deliveries created in a period (dead and pending; succeeded on request)")
    @APIResponse(responseCode = "202", description = "How many were queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReplayResult.class)))
    @APIResponse(responseCode = "400", description = "Body is not JSON", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "404", description = "Unknown subscription", content = @Content(mediaType = PROBLEM))
    @APIResponse(responseCode = "422", description = "Missing or inverted period", content = @Content(mediaType = PROBLEM))
    public Uni<Response> replayPeriod(@PathParam("id") UUID id, ReplayRequest body) {
        if (body == null) {
            throw noBody();
        }
        return deliveries.replayPeriod(id, body.from(), body.to(), Boolean.TRUE.equals(body.includeSucceeded()))
                .map(n -> Response.accepted(new ReplayResult(n)).build());
    }

    private static SubscriptionCommand command(SubscriptionRequest body) {
        if (body == null) {
            throw noBody();
        }
        return new SubscriptionCommand(body.url(), body.eventTypes(), body.description(), body.active());
    }

    private static ProblemException noBody() {
        return new ProblemException(Problem.of(400, "Malformed request body", "a JSON body is required"));
    }

    private static WebhookDelivery.Status status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return WebhookDelivery.Status.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("status", "must be pending, succeeded or dead");
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 instant, e.g. 2026-12-03T08:00:00Z");
        }
    }
}
