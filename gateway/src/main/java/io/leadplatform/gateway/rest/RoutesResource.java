package io.leadplatform.gateway.rest;

import io.leadplatform.gateway.config.GatewayConfig;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Comparator;
import java.util.List;

/** The gateway's own API: its route table (admin only). */
@Path("/gateway/routes")
@Tag(name = "gateway", description = "The gateway's own endpoints")
@SecurityScheme(securitySchemeName = "keycloak", type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "Access token of the Keycloak realm 'leads'")
public class RoutesResource {

    @Schema(name = "Route", description = "One route of the gateway")
    public record RouteView(
            @Schema(description = "Route name", examples = "kpi", required = true) String name,
            @Schema(description = "Path prefix; the prefix and everything under it go to the upstream unchanged",
                    examples = "/api/kpi", required = true) String prefix,
            @Schema(description = "Upstream base URL", examples = "http://127.0.0.1:8084", required = true) String upstream,
            @Schema(description = "Realm roles allowed; empty means any authenticated user", required = true) List<String> roles,
            @Schema(description = "Paths under the prefix that need no token", required = true) List<String> publicPaths) {
    }

    @Inject
    GatewayConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @SecurityRequirement(name = "keycloak")
    @Operation(operationId = "listRoutes", summary = "The configured route table",
            description = "Path prefixes, upstream URLs and the role policy of every route. Role admin.")
    @APIResponse(responseCode = "200", description = "The route table, sorted by prefix",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = RouteView.class)))
    @APIResponse(responseCode = "401", description = "No or invalid bearer token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemView.class)))
    @APIResponse(responseCode = "403", description = "The token lacks the admin role",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemView.class)))
    public List<RouteView> routes() {
        return config.routes().entrySet().stream()
                .map(e -> new RouteView(e.getKey(), e.getValue().prefix(), e.getValue().upstream(),
                        e.getValue().roles().orElse(List.of()), e.getValue().publicPaths().orElse(List.of())))
                .sorted(Comparator.comparing(RouteView::prefix))
                .toList();
    }

    @Schema(name = "Problem", description = "RFC 9457 problem details")
    public record ProblemView(
            @Schema(required = true, examples = "https://leadplatform.io/problems/forbidden") String type,
            @Schema(required = true, examples = "Forbidden") String title,
            @Schema(required = true, examples = "403") int status,
            @Schema(examples = "Your roles do not allow this request.") String detail,
            @Schema(examples = "/gateway/routes") String instance) {
    }
}
