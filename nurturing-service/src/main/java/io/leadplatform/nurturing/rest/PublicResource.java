package io.leadplatform.nurturing.rest;

import io.leadplatform.nurturing.service.TrackingService;
import io.leadplatform.nurturing.service.TrackingService.Request;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Base64;

/** What a mail's reader (or a scanner) reaches without a login: open pixel, click redirect, unsubscribe. Signed tokens only. */
@Path("/api/nurturing")
@Tag(name = "public")
@PermitAll
public class PublicResource {

    /** A transparent 1×1 GIF. */
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final TrackingService tracking;

    public PublicResource(TrackingService tracking) {
        this.tracking = tracking;
    }

    @GET
    @Path("/o/{token}")
    @Produces("image/gif")
    @Operation(operationId = "openPixel", summary = "Open pixel: records the open (classified human, bot or proxy)")
    @APIResponse(responseCode = "200", description = "A 1x1 GIF")
    @APIResponse(responseCode = "400", description = "Unsigned or altered token", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> open(@PathParam("token") String token, @Context HttpServerRequest http) {
        return tracking.open(token, request(http)).map(v -> Response.ok(PIXEL, "image/gif").header("Cache-Control", "no-store").build());
    }

    @HEAD
    @Path("/o/{token}")
    @Operation(operationId = "openPixelHead", summary = "HEAD on the open pixel: recorded as a bot")
    @APIResponse(responseCode = "200", description = "Headers only")
    @APIResponse(responseCode = "400", description = "Unsigned or altered token")
    public Uni<Response> openHead(@PathParam("token") String token, @Context HttpServerRequest http) {
        return tracking.open(token, request(http)).map(v -> Response.ok().type("image/gif").header("Cache-Control", "no-store").build());
    }

    @GET
    @Path("/c/{token}")
    @Operation(operationId = "clickRedirect", summary = "Click redirect: records the click, redirects to the signed target")
    @APIResponse(responseCode = "302", description = "To the link's target")
    @APIResponse(responseCode = "400", description = "Unsigned or altered token: no redirect", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> click(@PathParam("token") String token, @Context HttpServerRequest http) {
        return tracking.click(token, request(http)).map(c -> Response.status(302).location(URI.create(c.target()))
                .header("Cache-Control", "no-store").build());
    }

    @HEAD
    @Path("/c/{token}")
    @Operation(operationId = "clickRedirectHead", summary = "HEAD on a click link: recorded as a bot")
    @APIResponse(responseCode = "302", description = "To the link's target")
    @APIResponse(responseCode = "400", description = "Unsigned or altered token")
    public Uni<Response> clickHead(@PathParam("token") String token, @Context HttpServerRequest http) {
        return click(token, http);
    }

    @GET
    @Path("/unsubscribe/{token}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(operationId = "unsubscribeLink", summary = "Unsubscribe link of a mail: takes effect at once, no login")
    @APIResponse(responseCode = "200", description = "A confirmation page")
    @APIResponse(responseCode = "400", description = "Unsigned or altered token", content = @Content(mediaType = "application/problem+json"))
    public Uni<String> unsubscribeLink(@PathParam("token") String token) {
        return tracking.unsubscribe(token, "link").map(lead -> lead
                ? "<!doctype html><html><body><h1>You are unsubscribed</h1><p>You will receive no more marketing e-mail from us.</p></body></html>"
                : "<!doctype html><html><body><h1>Test message</h1><p>This was a test send; there is nothing to unsubscribe.</p></body></html>");
    }

    @POST
    @Path("/unsubscribe/{token}")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    @Operation(operationId = "unsubscribeOneClick", summary = "RFC 8058 one-click unsubscribe (List-Unsubscribe=One-Click): takes effect at once")
    @APIResponse(responseCode = "200", description = "Unsubscribed")
    @APIResponse(responseCode = "400", description = "Unsigned or altered token", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> unsubscribeOneClick(@PathParam("token") String token) {
        return tracking.unsubscribe(token, "one-click POST").map(lead -> Response.ok().build());
    }

    private static Request request(HttpServerRequest http) {
        String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return new Request(http.method().name(), http.getHeader("User-Agent"), address);
    }
}
