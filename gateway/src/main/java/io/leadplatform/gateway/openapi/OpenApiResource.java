package io.leadplatform.gateway.openapi;

import io.leadplatform.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The aggregated OpenAPI document of the whole API (public; the Swagger UI at /q/swagger-ui reads it). */
@Path("/")
@ApplicationScoped
@Tag(name = "gateway", description = "The gateway's own endpoints")
public class OpenApiResource {

    private static final String YAML = "application/yaml";

    private final String yaml;
    private final String json;

    OpenApiResource(GatewayConfig config,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl,
            @ConfigProperty(name = "quarkus.smallrye-openapi.info-version", defaultValue = "0.1.0") String version) {
        AggregatedOpenApi api = AggregatedOpenApi.fromClasspath(config.openapi().documents(),
                config.openapi().keycloakUrl().orElse(authServerUrl), version);
        this.yaml = api.yaml();
        this.json = api.json();
    }

    @GET
    @Path("openapi")
    @Produces({YAML, "application/json"})
    @Operation(operationId = "getPlatformOpenApi", summary = "The OpenAPI document of the whole API",
            description = "Merged from the contracts of every service (paths as the gateway serves them, Keycloak "
                    + "security schemes, the gateway's own error answers). YAML unless JSON is asked for (Accept).")
    @APIResponse(responseCode = "200", description = "The document",
            content = {@Content(mediaType = YAML), @Content(mediaType = "application/json")})
    public Response document(@jakarta.ws.rs.HeaderParam(HttpHeaders.ACCEPT) String accept) {
        boolean wantsJson = accept != null && accept.contains("json") && !accept.contains("yaml");
        return wantsJson ? json() : yaml();
    }

    @GET
    @Path("openapi.yaml")
    @Produces(YAML)
    @Operation(operationId = "getPlatformOpenApiYaml", summary = "The OpenAPI document of the whole API, YAML")
    @APIResponse(responseCode = "200", description = "The document", content = @Content(mediaType = YAML))
    public Response yaml() {
        return Response.ok(yaml, YAML).build();
    }

    @GET
    @Path("openapi.json")
    @Produces("application/json")
    @Operation(operationId = "getPlatformOpenApiJson", summary = "The OpenAPI document of the whole API, JSON")
    @APIResponse(responseCode = "200", description = "The document", content = @Content(mediaType = "application/json"))
    public Response json() {
        return Response.ok(json, "application/json").build();
    }
}
