package io.leadplatform.capture.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Serves the website tracking snippet (src/main/resources/tracker/tracker.js). Public. */
@Path("/api/capture/tracker.js")
@Tag(name = "tracking")
@PermitAll
public class TrackerScriptResource {

    static final String MEDIA_TYPE = "text/javascript";

    private final byte[] script;
    private final String etag;

    public TrackerScriptResource() {
        try (InputStream in = TrackerScriptResource.class.getResourceAsStream("/tracker/tracker.js")) {
            if (in == null) {
                throw new IllegalStateException("tracker/tracker.js is missing from the classpath");
            }
            script = servedForm(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script), 0, 8) + "\"";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The script as served: without indentation, blank lines and comment lines (the source keeps its
     * comments on lines of their own, so nothing else changes).
     */
    static String servedForm(String source) {
        StringBuilder out = new StringBuilder(source.length());
        boolean inComment = false;
        for (String line : source.split("\n")) {
            String t = line.strip();
            if (inComment || t.startsWith("/*")) {
                inComment = !t.contains("*/");
                continue;
            }
            if (!t.isEmpty()) {
                out.append(t).append('\n');
            }
        }
        return out.toString();
    }

    @GET
    @Produces(MEDIA_TYPE)
    @Operation(operationId = "getTracker", summary = "The website tracking snippet (public, no token)",
            description = "Vanilla JavaScript under 6 KB: a first-party visitor id (lp_vid), sessions (lp_ses: 30 minutes without activity "
                    + "or a new campaign start a new one) with their landing referrer host, UTM parameters and ad click id name, "
                    + "page views with time on page (also sent when the tab closes), downloads, and the visitor id and the "
                    + "browser's IANA time zone as hidden visitorId and timeZone fields of forms. "
                    + "Embed with <script async src=\".../api/capture/tracker.js\"></script>.")
    @APIResponse(responseCode = "200", description = "The script",
            content = @Content(mediaType = MEDIA_TYPE, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Not modified (If-None-Match)")
    public Response script(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        if (etag.equals(ifNoneMatch)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        return Response.ok(new String(script, StandardCharsets.UTF_8), MEDIA_TYPE + ";charset=utf-8")
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
                .header(HttpHeaders.ETAG, etag)
                .build();
    }
}
