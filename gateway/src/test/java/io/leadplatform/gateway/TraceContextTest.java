package io.leadplatform.gateway;

import io.leadplatform.testsupport.Tokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trace context end to end through the gateway (W3C traceparent): a sampled caller gets one gateway span,
 * the upstream sees that span as its parent; an unsampled or missing traceparent gives no span, but the
 * upstream still gets a valid traceparent (the caller's trace id, or a new trace) naming the gateway's hop.
 */
@QuarkusTest
@WithTestResource(FakeUpstream.class)
class TraceContextTest {

    private static final String TRACE_ID = "6bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$";

    @Inject
    RecordedSpans spans;

    private static JsonPath post(String traceparent) {
        var request = given().contentType(ContentType.JSON).body("{}").header("tracestate", "vendor=abc");
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return request.post("/api/capture/forms/f-1/submissions").then().statusCode(200).extract().jsonPath();
    }

    private List<SpanData> gatewaySpans(String traceId) {
        return spans.ended().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    @Test
    void sampledCallerGetsAGatewaySpanThatIsTheUpstreamsParent() throws Exception {
        for (String path : List.of("lean", "token", "normal")) {
            String traceId = TRACE_ID.substring(0, 28) + switch (path) {
                case "lean" -> "aaa1";
                case "token" -> "aaa2";
                default -> "aaa3";
            };
            String incoming = "00-" + traceId + "-" + CALLER_SPAN + "-01";
            JsonPath echo = switch (path) {
                case "lean" -> post(incoming); // anonymous public POST: lean entry
                case "token" -> { // verified token: lean entry (the first request verifies it)
                    String bearer = Tokens.bearer("marketing");
                    given().header("Authorization", bearer).get("/api/kpi/reports/leads").then().statusCode(200);
                    yield given().header("Authorization", bearer).header("traceparent", incoming)
                            .header("tracestate", "vendor=abc")
                            .get("/api/kpi/reports/leads").then().statusCode(200).extract().jsonPath();
                }
                default -> given().header("traceparent", incoming).header("tracestate", "vendor=abc") // normal chain
                        .get("/api/capture/forms/f-1/confirm").then().statusCode(200).extract().jsonPath();
            };
            String sent = echo.getString("traceparent");
            assertTrue(sent.matches(TRACEPARENT), path + ": " + sent);
            assertTrue(sent.startsWith("00-" + traceId + "-") && sent.endsWith("-01"), path + ": " + sent);
            assertEquals("vendor=abc", echo.getString("tracestate"), path);
            String hop = sent.substring(36, 52);
            assertNotEquals(CALLER_SPAN, hop, path);
            List<SpanData> recorded = awaitSpans(traceId);
            assertEquals(1, recorded.size(), path + ": one span per sampled request, " + recorded);
            SpanData span = recorded.get(0);
            assertEquals(hop, span.getSpanId(), path + ": the upstream's parent is the gateway's span");
            assertEquals(CALLER_SPAN, span.getParentSpanId(), path);
            assertEquals(SpanKind.SERVER, span.getKind(), path);
            assertEquals(200L, span.getAttributes().get(
                    io.opentelemetry.api.common.AttributeKey.longKey("http.response.status_code")), path);
        }
    }

    private List<SpanData> awaitSpans(String traceId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 2000;
        List<SpanData> found = gatewaySpans(traceId);
        while (found.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            found = gatewaySpans(traceId);
        }
        return found;
    }

    @Test
    void unsampledCallerKeepsItsTraceWithoutASpan() throws Exception {
        String traceId = TRACE_ID.substring(0, 28) + "0000";
        String sent = post("00-" + traceId + "-" + CALLER_SPAN + "-00").getString("traceparent");
        assertTrue(sent.matches(TRACEPARENT), sent);
        assertTrue(sent.startsWith("00-" + traceId + "-") && sent.endsWith("-00"), sent);
        assertNotEquals(CALLER_SPAN, sent.substring(36, 52), "the gateway's hop is the parent");
        Thread.sleep(100);
        assertTrue(gatewaySpans(traceId).isEmpty(), "no span for an unsampled request");
    }

    @Test
    void missingOrInvalidTraceparentStartsANewUnsampledTrace() throws Exception {
        for (String incoming : new String[] {null, "garbage", "00-" + "0".repeat(32) + "-" + CALLER_SPAN + "-01",
                "ff-" + TRACE_ID + "-" + CALLER_SPAN + "-01", "00-" + TRACE_ID.toUpperCase() + "-" + CALLER_SPAN + "-01"}) {
            String sent = post(incoming).getString("traceparent");
            assertTrue(sent.matches(TRACEPARENT), incoming + " -> " + sent);
            assertTrue(sent.endsWith("-00"), "new traces are not sampled at GATEWAY_TRACE_RATIO=0: " + sent);
            String traceId = sent.substring(3, 35);
            assertNotEquals(TRACE_ID, traceId);
            Thread.sleep(50);
            assertTrue(gatewaySpans(traceId).isEmpty(), incoming + ": no span");
        }
        String first = post(null).getString("traceparent");
        String second = post(null).getString("traceparent");
        assertNotEquals(first.substring(3, 35), second.substring(3, 35), "a new trace per request");
    }

    @Test
    void laterVersionsAreContinued() {
        String sent = post("01-" + TRACE_ID.substring(0, 28) + "1111-" + CALLER_SPAN + "-00-extra").getString("traceparent");
        assertTrue(sent.startsWith("00-" + TRACE_ID.substring(0, 28) + "1111-"), sent);
    }
}
