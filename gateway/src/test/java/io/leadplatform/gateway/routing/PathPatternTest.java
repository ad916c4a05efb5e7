package io.leadplatform.gateway.routing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathPatternTest {

    @Test
    void starMatchesExactlyOneSegment() {
        assertTrue(GatewayRouter.matchesSegments("/api/capture/forms/*/submissions", "/api/capture/forms/contact/submissions"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/submissions", "/api/capture/forms/submissions"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/submissions", "/api/capture/forms//submissions"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/submissions", "/api/capture/forms/a/b/submissions"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/submissions", "/api/capture/forms/a/submissions/"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/submissions", "/api/capture/forms/a/submission"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/track", "/api/capture/track/x"));
        assertTrue(GatewayRouter.matchesSegments("/api/capture/track/*", "/api/capture/track/x"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/track/*", "/api/capture/track/"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/track/*", "/api/capture/track"));
        assertTrue(GatewayRouter.matchesSegments("/*/capture", "/api/capture"));
        assertTrue(GatewayRouter.matchesSegments("", ""));
    }

    @Test
    void hopByHopHeadersAreRecognisedInAnyCase() {
        for (String name : new String[] {"Connection", "keep-alive", "Proxy-Authenticate", "PROXY-AUTHORIZATION", "TE",
                "Trailer", "Transfer-Encoding", "Upgrade", "Host"}) {
            assertTrue(Forwarder.notForwarded(name), name);
        }
        for (String name : new String[] {"Content-Type", "Authorization", "X-Request-Id", "Hosts", "T", "", "Trailers",
                "X-Forwarded-Host"}) {
            assertFalse(Forwarder.notForwarded(name), name);
        }
    }

    @Test
    void formManagementIsNotUpstreamManaged() {
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/submissions", "/api/capture/forms/contact"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/render", "/api/capture/forms/contact/stats"));
        assertTrue(GatewayRouter.matchesSegments("/api/capture/tracker.js", "/api/capture/tracker.js"));
    }

    @Test
    void redactReplacesIdsAndPersonalData() {
        org.junit.jupiter.api.Assertions.assertEquals("/api/capture/forms/contact/submissions",
                GatewayRouter.redact("/api/capture/forms/contact/submissions"));
        org.junit.jupiter.api.Assertions.assertEquals("/api/capture/leads/{id}/timeline",
                GatewayRouter.redact("/api/capture/leads/3f6c2a9e-1b2c-4d5e-8f90-123456789abc/timeline"));
        org.junit.jupiter.api.Assertions.assertEquals("/api/capture/leads/{id}",
                GatewayRouter.redact("/api/capture/leads/jane@example.com"));
        org.junit.jupiter.api.Assertions.assertEquals("/api/nurturing/unsubscribe/{id}",
                GatewayRouter.redact("/api/nurturing/unsubscribe/abcdefghijklmnopqrstuvwxyz"));
        org.junit.jupiter.api.Assertions.assertEquals("/api/kpi/", GatewayRouter.redact("/api/kpi/"));
        org.junit.jupiter.api.Assertions.assertEquals("", GatewayRouter.redact(null));
        org.junit.jupiter.api.Assertions.assertEquals("//a//{id}", GatewayRouter.redact("//a//b1"));
    }
}
