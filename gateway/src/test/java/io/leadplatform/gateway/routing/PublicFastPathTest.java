package io.leadplatform.gateway.routing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublicFastPathTest {

    @Test
    void onlyPostAndMethodlessPublicPathsAreLeanCandidates() {
        assertEquals(List.of("/api/capture/forms/*/submissions", "/api/capture/track", "/api/capture/track/*",
                        "/api/capture/webhooks/*"),
                PublicFastPath.publicPostPaths(List.of("POST /api/capture/forms/*/submissions",
                        "GET /api/capture/forms/*/confirm", " /api/capture/track", "/api/capture/track/*",
                        "GET /api/capture/tracker.js", "post /api/capture/webhooks/*")));
        assertEquals(List.of(), PublicFastPath.publicPostPaths(List.of()));
    }

    @Test
    void plainSegmentsOnly() {
        assertTrue(PublicFastPath.plainSegments("/api/capture/forms/contact-2/submissions"));
        assertTrue(PublicFastPath.plainSegments("/api/capture/forms/a.b_c~d/submissions"));
        assertFalse(PublicFastPath.plainSegments("/api/capture/forms/a%2Fb/submissions"));
        assertFalse(PublicFastPath.plainSegments("/api/capture/forms/../leads"));
        assertFalse(PublicFastPath.plainSegments("/api/capture/forms/./submissions"));
        assertFalse(PublicFastPath.plainSegments("/api/capture//forms"));
        assertFalse(PublicFastPath.plainSegments("/api/capture/forms/"));
        assertFalse(PublicFastPath.plainSegments("/api/capture/forms/ä/submissions"));
        assertFalse(PublicFastPath.plainSegments("/api/capture/forms/a;b/submissions"));
        assertFalse(PublicFastPath.plainSegments("api/capture"));
        assertFalse(PublicFastPath.plainSegments(""));
    }
}
