package io.leadplatform.gateway;

import io.leadplatform.gateway.security.VerifiedTokenCache;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits, body limits, circuit breakers and the verified-token cache, against the fake upstream
 * and the real Keycloak of the local stack (routes 'limited' and 'broken' come from FakeUpstream).
 */
@QuarkusTest
@WithTestResource(FakeUpstream.class)
class FrontDoorTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void anonymousCallersAreLimitedPerIpWithIetfHeaders() {
        // route 'limited': 2 anonymous requests per minute per IP
        String path = "/api/limited/forms/f-1/submissions";
        given().body("{}").post(path).then().statusCode(200)
                .header("RateLimit-Policy", "\"ip\";q=2;w=60")
                .header("RateLimit", matchesPattern("\"ip\";r=1;t=\\d+"));
        given().body("{}").post(path).then().statusCode(200)
                .header("RateLimit", matchesPattern("\"ip\";r=0;t=\\d+"));
        given().body("{}").post(path).then().statusCode(429).contentType(PROBLEM)
                .body("status", equalTo(429)).body("title", equalTo("Too Many Requests"))
                .body("type", equalTo("https://leadplatform.io/problems/rate-limited"))
                .body("instance", equalTo(path))
                .header("Retry-After", matchesPattern("[1-9]\\d*"))
                .header("RateLimit-Policy", "\"ip\";q=2;w=60")
                .header("RateLimit", matchesPattern("\"ip\";r=0;t=\\d+"))
                .header("X-Request-Id", notNullValue());
        // other routes have their own buckets
        given().body("{}").post("/api/capture/forms/f-1/submissions").then().statusCode(200);
    }

    @Test
    void tokensAreLimitedPerUserAndPerPartnerNotPerIp() {
        // 3 per minute per user on 'limited'; marketing and sales share the IP but not the bucket
        String marketing = Tokens.bearer("marketing");
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", marketing).get("/api/limited/things").then().statusCode(200)
                    .header("RateLimit-Policy", "\"user\";q=3;w=60");
        }
        given().header("Authorization", marketing).get("/api/limited/things").then().statusCode(429)
                .contentType(PROBLEM).header("Retry-After", notNullValue())
                .body("detail", containsString("user"));
        given().header("Authorization", Tokens.bearer("sales")).get("/api/limited/things").then().statusCode(200);
        // partner tokens: per partner id (1 per minute on 'limited'): a second token of the same partner shares it
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/limited/p").then().statusCode(200)
                .header("RateLimit-Policy", "\"partner\";q=1;w=60");
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/limited/p").then().statusCode(429)
                .contentType(PROBLEM);
    }

    @Test
    void oversizeBodyIs413ProblemNeverForwarded() {
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        String body = "{\"x\":\"" + new String(big, StandardCharsets.US_ASCII) + "\"}";
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON).body(body)
                .post("/api/scoring/models").then().statusCode(413).contentType(PROBLEM)
                .body("status", equalTo(413)).body("title", equalTo("Content Too Large"))
                .body("instance", equalTo("/api/scoring/models"));
        // the lean path too
        given().contentType(ContentType.JSON).body(body).post("/api/down/forms/f-1/submissions")
                .then().statusCode(413).contentType(PROBLEM);
        // capture accepts large imports (512M on that route)
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON).body(body)
                .post("/api/capture/imports").then().statusCode(200);
        // the 413s end like any request: timed (the lingering close does not take the router's end handlers)
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("http_server_requests_seconds_count{method=\"POST\","
                + "outcome=\"CLIENT_ERROR\",status=\"413\",uri=\"/api/scoring/*\"}"), metrics);
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("http_server_requests_seconds_count{method=\"POST\","
                + "outcome=\"CLIENT_ERROR\",status=\"413\",uri=\"/api/down/*\"}"), metrics);
    }

    @Test
    void oversizeChunkedBodyIs413Problem() throws Exception {
        String token = Tokens.bearer("admin");
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/kpi/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + token
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            String head = Integer.toHexString(chunk.length) + "\r\n";
            try {
                for (int i = 0; i < 40; i++) { // 2.5 MB
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedByGateway) {
                // the gateway may close the connection after its 413 while we still write
            }
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", answer);
        }
    }

    /**
     * A body refused up front (its Content-Length is over the limit) is read and dropped after the 413, and
     * the connection closes only once the caller has sent it: a gateway that closed at once would make the
     * kernel reset the connection while the caller still writes, and the reset can destroy the 413 before
     * the caller reads it. Here the caller reads the 413 first, then sends the whole body, then sees the
     * orderly close (end of stream), never a reset.
     */
    @Test
    void refusedBodyIsDrainedBeforeTheConnectionCloses() throws Exception {
        String token = Tokens.bearer("admin");
        int size = 2 * 1024 * 1024;
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/scoring/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 413"), head);
            assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), head);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            assertTrue(length.find(), head);
            String problem = new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
            assertTrue(problem.contains("\"status\":413"), problem);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk); // a reset by the gateway would fail these writes (broken pipe)
            }
            out.flush();
            assertEquals(-1, in.read(), "the gateway closes the connection once the body is in");
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndAnswers503WithRetryAfter() {
        String admin = Tokens.bearer("admin");
        // threshold 2 on 'broken' (a closed port): two 502s, then the circuit is open
        given().header("Authorization", admin).get("/api/broken/x").then().statusCode(502).contentType(PROBLEM);
        given().header("Authorization", admin).get("/api/broken/x").then().statusCode(502).contentType(PROBLEM);
        Response open = given().header("Authorization", admin).get("/api/broken/x");
        open.then().statusCode(503).contentType(PROBLEM)
                .body("type", equalTo("https://leadplatform.io/problems/upstream-circuit-open"))
                .body("status", equalTo(503));
        int retryAfter = Integer.parseInt(open.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 30, "Retry-After " + retryAfter);
        // other upstreams are not affected
        given().header("Authorization", admin).get("/api/kpi/leads").then().statusCode(200);
    }

    @Inject
    VerifiedTokenCache cache;

    @Test
    void verifiedTokensAreCachedButAnAlteredTokenIsNot() {
        String token = Tokens.bearer("sales");
        given().header("Authorization", token).get("/api/scoring/leads/l-9").then().statusCode(200);
        assertTrue(cache.size() >= 1);
        long hits = cache.hits();
        given().header("Authorization", token).get("/api/scoring/leads/l-9").then().statusCode(200);
        given().header("Authorization", token).get("/api/scoring/leads/l-9").then().statusCode(200);
        assertEquals(hits + 2, cache.hits(), "the same token is served from the cache");
        // roles are still enforced on a cached identity
        given().header("Authorization", token).get("/api/kpi/leads").then().statusCode(403).contentType(PROBLEM);
        // a token with a changed signature is verified (and rejected), not matched
        String altered = token.substring(0, token.length() - 3) + (token.endsWith("A") ? "BBB" : "AAA");
        given().header("Authorization", altered).get("/api/scoring/leads/l-9").then().statusCode(401)
                .contentType(PROBLEM).header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void roleIsCheckedBeforeTheBody() {
        // a partner posting anything (even a media type nobody accepts) to an admin-only path: 403
        given().header("Authorization", Tokens.bearer("partner-acme")).contentType("text/plain").body("x")
                .post("/api/kpi/leads").then().statusCode(403).contentType(PROBLEM);
        given().header("Authorization", Tokens.bearer("partner-acme")).contentType("text/plain").body("x")
                .post("/gateway/routes").then().statusCode(403).contentType(PROBLEM);
    }

    @Test
    void requestIdIsOnTheLeanPathAnswer() {
        given().header("X-Request-Id", "lean-rid-1").body("{}").post("/api/capture/track")
                .then().statusCode(200).header("X-Request-Id", "lean-rid-1").body("xRequestId", equalTo("lean-rid-1"));
    }
}
