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
    }

    @Test
    void formManagementIsNotUpstreamManaged() {
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/submissions", "/api/capture/forms/contact"));
        assertFalse(GatewayRouter.matchesSegments("/api/capture/forms/*/render", "/api/capture/forms/contact/stats"));
        assertTrue(GatewayRouter.matchesSegments("/api/capture/tracker.js", "/api/capture/tracker.js"));
    }
}
