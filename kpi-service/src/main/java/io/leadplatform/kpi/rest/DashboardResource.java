package io.leadplatform.kpi.rest;

import io.leadplatform.kpi.service.TokenRelay;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The marketer's dashboard: one page and its scripts, public (the page holds no data; every number comes
 * from the protected report APIs with the marketer's token), and the same-origin token exchange of its
 * login (authorization code + PKCE with the public client). Charts: ECharts from its webjar, served here.
 */
@Path(TokenRelay.PAGE_PATH)
@Tag(name = "dashboard")
@PermitAll
public class DashboardResource {

    static final String ECHARTS = "echarts-5.3.1.min.js";

    /** Scripts only from here; styles may be set inline (ECharts' tooltips); no frames, no other origin. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private record Asset(byte[] bytes, String type, String etag, String cacheControl) {
    }

    private final Asset page;
    private final Map<String, Asset> assets;
    private final TokenRelay relay;

    public DashboardResource(TokenRelay relay) {
        this.relay = relay;
        // inside <script type="application/json">: nothing may close the element
        String settings = relay.loginSettings().encode().replace("</", "<\\/");
        String html = new String(read("dashboard/index.html"), StandardCharsets.UTF_8).replace("{{settings}}", settings);
        this.page = asset(html.getBytes(StandardCharsets.UTF_8), "text/html;charset=utf-8", "no-cache");
        this.assets = Map.of(
                "dashboard.js", asset(read("dashboard/dashboard.js"), "text/javascript;charset=utf-8", "no-cache"),
                "dashboard.css", asset(read("dashboard/dashboard.css"), "text/css;charset=utf-8", "no-cache"),
                ECHARTS, asset(read("META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js"), "text/javascript;charset=utf-8",
                        "public, max-age=31536000, immutable"));
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(operationId = "dashboard", summary = "The marketer's KPI dashboard (HTML page, public; its data needs the marketing or admin role)",
            description = "Logs in through Keycloak's login page (authorization code + PKCE, public client), then reads the report APIs with "
                    + "the token. Filters (from, to, grain, channel, campaign) are kept in the page's query string.")
    @APIResponse(responseCode = "200", description = "The page", content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response page(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return serve(page, ifNoneMatch);
    }

    @GET
    @Path("/{asset}")
    @Operation(hidden = true)
    public Response asset(@PathParam("asset") String name, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Asset asset = assets.get(name);
        if (asset == null) {
            return Response.status(404).build();
        }
        return serve(asset, ifNoneMatch);
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "dashboardToken", summary = "The dashboard's login: exchange an authorization code (PKCE) or a refresh token (public)",
            description = "grant_type authorization_code (code, code_verifier, redirect_uri = this page's address) or refresh_token "
                    + "(refresh_token), for the public client kpi.dashboard.client-id. Answers Keycloak's token response. "
                    + "400 when Keycloak refuses (code used or expired, wrong verifier), 422 for another grant or redirect URI, "
                    + "502 / 504 when Keycloak cannot be reached or does not answer.")
    @APIResponse(responseCode = "200", description = "Keycloak's token response (access_token, refresh_token, id_token, expires_in ...)")
    @APIResponse(responseCode = "400", description = "Refused by Keycloak", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Bad grant", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "502", description = "Keycloak cannot be reached", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> token(@FormParam("grant_type") String grantType, @FormParam("code") String code,
                               @FormParam("code_verifier") String codeVerifier, @FormParam("redirect_uri") String redirectUri,
                               @FormParam("refresh_token") String refreshToken) {
        return relay.exchange(new TokenRelay.Grant(grantType, code, codeVerifier, redirectUri, refreshToken))
                .map(tokens -> Response.ok(tokens.encode(), MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build());
    }

    private static Response serve(Asset asset, String ifNoneMatch) {
        if (asset.etag().equals(ifNoneMatch)) {
            return Response.notModified().header(HttpHeaders.ETAG, asset.etag()).build();
        }
        return Response.ok(asset.bytes(), asset.type())
                .header(HttpHeaders.ETAG, asset.etag())
                .header(HttpHeaders.CACHE_CONTROL, asset.cacheControl())
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static Asset asset(byte[] bytes, String type, String cacheControl) {
        try {
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
            return new Asset(bytes, type, etag, cacheControl);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = DashboardResource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
