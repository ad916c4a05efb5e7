package io.leadplatform.gateway.routing;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutePermissionsTest {

    private static RoutePermissions of(Map<String, String> properties, String... prefixes) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return RoutePermissions.from(config, List.of(prefixes));
    }

    private static final Map<String, String> PLATFORM = Map.ofEntries(
            Map.entry("quarkus.http.auth.policy.scoring-roles.roles-allowed", "marketing,sales,admin"),
            Map.entry("quarkus.http.auth.permission.scoring.paths", "/api/scoring,/api/scoring/*"),
            Map.entry("quarkus.http.auth.permission.scoring.policy", "scoring-roles"),
            Map.entry("quarkus.http.auth.permission.capture.paths", "/api/capture,/api/capture/*"),
            Map.entry("quarkus.http.auth.permission.capture.policy", "authenticated"),
            Map.entry("quarkus.http.auth.permission.public-post.paths", "/api/capture/forms/*/submissions"),
            Map.entry("quarkus.http.auth.permission.public-post.methods", "POST"),
            Map.entry("quarkus.http.auth.permission.public-post.policy", "permit"),
            Map.entry("quarkus.http.auth.permission.public.paths", "/api/capture/track/*,/q/*"),
            Map.entry("quarkus.http.auth.permission.public.policy", "permit"),
            Map.entry("quarkus.http.auth.permission.kpi.paths", "/api/kpi/*"),
            Map.entry("quarkus.http.auth.permission.kpi.methods", "GET"),
            Map.entry("quarkus.http.auth.permission.kpi.policy", "authenticated"));

    @Test
    void routeOwnPermissionDecidesWhenNoOtherCanMatch() {
        RoutePermissions p = of(PLATFORM, "/api/scoring", "/api/capture", "/api/kpi", "/api/other");
        assertEquals(Set.of("marketing", "sales", "admin"), p.policyFor("/api/scoring", "/api/scoring/leads/l-1").roles());
        assertNull(p.policyFor("/api/capture", "/api/capture/leads/l-1").roles(), "authenticated: no roles");
    }

    @Test
    void anyOtherPermissionThatMightMatchLeavesTheDecisionToQuarkus() {
        RoutePermissions p = of(PLATFORM, "/api/scoring", "/api/capture", "/api/kpi", "/api/other");
        assertNull(p.policyFor("/api/capture", "/api/capture/forms/f-1/submissions"));
        assertNull(p.policyFor("/api/capture", "/api/capture/track"));
        assertNull(p.policyFor("/api/capture", "/api/capture/track/batch"));
        // a permission with methods, or no permission at all: never decided here
        assertNull(p.policyFor("/api/kpi", "/api/kpi/reports"));
        assertNull(p.policyFor("/api/other", "/api/other/x"));
    }

    @Test
    void policiesWithMoreThanRolesAndRoleMappingsAreNotEvaluatedHere() {
        Map<String, String> withPermissions = new java.util.HashMap<>(PLATFORM);
        withPermissions.put("quarkus.http.auth.policy.scoring-roles.permissions.sales", "read");
        assertNull(of(withPermissions, "/api/scoring").policyFor("/api/scoring", "/api/scoring/leads"));
        Map<String, String> mapped = new java.util.HashMap<>(PLATFORM);
        mapped.put("quarkus.http.auth.roles-mapping.sales", "marketing");
        assertNull(of(mapped, "/api/scoring").policyFor("/api/scoring", "/api/scoring/leads"));
    }

    @Test
    void mightMatchIsWiderThanQuarkusNeverNarrower() {
        assertTrue(RoutePermissions.mightMatch("/api/capture/*", "/api/capture"));
        assertTrue(RoutePermissions.mightMatch("/api/capture/*", "/api/capture/a/b"));
        assertTrue(RoutePermissions.mightMatch("/api/capture/forms/*/submissions", "/api/capture/forms/x/submissions"));
        assertTrue(RoutePermissions.mightMatch("/api/capture/fo*", "/api/capture/forms"));
        assertFalse(RoutePermissions.mightMatch("/api/capture/forms/*/submissions", "/api/capture/forms/x"));
        assertFalse(RoutePermissions.mightMatch("/q/*", "/api/capture/q"));
        assertTrue(RoutePermissions.mightMatch("/api/capture/*", "/api/capture/"));
        assertFalse(RoutePermissions.mightMatch("/api/capture/*", "/api/captures/x"));
        assertFalse(RoutePermissions.mightMatch("/api/capture/forms/*/submissions", "/api/capture/forms/x/submissions/"));
        assertFalse(RoutePermissions.mightMatch("/api/capture/tracker.js", "/api/capture/tracker.jsx"));
    }
}
