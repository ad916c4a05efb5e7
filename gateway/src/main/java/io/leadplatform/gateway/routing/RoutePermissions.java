package io.leadplatform.gateway.routing;

import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Quarkus' path permissions ({@code quarkus.http.auth.permission.*}) require of a request with a
 * verified token, for the cases where that is simple and certain: the path lies under a route whose
 * own permission (paths {@code <prefix>} / {@code <prefix>/*}, no methods) is the only permission that
 * can match it, and that permission's policy is {@code authenticated} or a policy with nothing but
 * {@code roles-allowed}. For any other path {@link #policyFor} answers null and the request goes
 * through Quarkus' security layer. The matching is deliberately wider than Quarkus' (any permission
 * path that might match counts), so the answer is never another one than Quarkus would give.
 */
final class RoutePermissions {

    private static final String PERMISSION = "quarkus.http.auth.permission.";
    private static final Set<String> SIMPLE_PERMISSION_KEYS = Set.of("paths", "policy", "enabled");

    /** The role requirement of a route: null roles = any authenticated identity. */
    record Policy(Set<String> roles) {
        boolean allows(io.quarkus.security.identity.SecurityIdentity identity) {
            if (identity == null || identity.isAnonymous()) {
                return false;
            }
            if (roles == null) {
                return true;
            }
            for (String role : roles) {
                if (identity.hasRole(role)) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Permission(String name, List<String> paths) {
    }

    /** A route's policy and the other permissions' paths (split) that may match paths under the route. */
    private record RouteEntry(Policy policy, List<String[]> competitors) {
    }

    private final java.util.Map<String, RouteEntry> byPrefix;

    private RoutePermissions(java.util.Map<String, RouteEntry> byPrefix) {
        this.byPrefix = byPrefix;
    }

    /** Reads the permissions and policies from the configuration, for the given route prefixes. */
    static RoutePermissions from(Config config, List<String> prefixes) {
        Set<String> names = new HashSet<>();
        boolean rolesMapping = false;
        for (String key : config.getPropertyNames()) {
            if (key.startsWith(PERMISSION)) {
                int dot = key.indexOf('.', PERMISSION.length());
                if (dot > 0) {
                    names.add(key.substring(PERMISSION.length(), dot));
                }
            } else if (key.startsWith("quarkus.http.auth.roles-mapping.")) {
                rolesMapping = true;
            }
        }
        List<Permission> permissions = new ArrayList<>();
        for (String name : names) {
            if (!config.getOptionalValue(PERMISSION + name + ".enabled", Boolean.class).orElse(true)) {
                continue;
            }
            List<String> paths = config.getOptionalValues(PERMISSION + name + ".paths", String.class).orElse(List.of());
            permissions.add(new Permission(name, paths.stream().map(String::trim).toList()));
        }
        java.util.Map<String, RouteEntry> byPrefix = new java.util.HashMap<>();
        if (!rolesMapping) {
            for (String prefix : prefixes) {
                policyOfRoute(config, names, permissions, prefix).ifPresent(policy -> {
                    List<String[]> competitors = new ArrayList<>();
                    for (Permission p : permissions) {
                        for (String pattern : p.paths()) {
                            if (!pattern.equals(prefix) && !pattern.equals(prefix + "/*")
                                    && mayOverlap(pattern.split("/", -1), prefix.split("/", -1))) {
                                competitors.add(pattern.split("/", -1));
                            }
                        }
                    }
                    byPrefix.put(prefix, new RouteEntry(policy, List.copyOf(competitors)));
                });
            }
        }
        return new RoutePermissions(java.util.Map.copyOf(byPrefix));
    }

    /** The route's own permission, when it is one whose policy this class can evaluate exactly. */
    private static Optional<Policy> policyOfRoute(Config config, Set<String> names, List<Permission> permissions,
            String prefix) {
        for (Permission p : permissions) {
            if (!p.paths().contains(prefix + "/*")
                    || !p.paths().stream().allMatch(x -> x.equals(prefix) || x.equals(prefix + "/*"))) {
                continue;
            }
            for (String key : config.getPropertyNames()) {
                if (key.startsWith(PERMISSION + p.name() + ".")
                        && !SIMPLE_PERMISSION_KEYS.contains(key.substring(PERMISSION.length() + p.name().length() + 1))) {
                    return Optional.empty(); // methods, auth mechanism, shared, ...: Quarkus decides
                }
            }
            String policy = config.getOptionalValue(PERMISSION + p.name() + ".policy", String.class).orElse("");
            if (policy.equals("authenticated")) {
                return Optional.of(new Policy(null));
            }
            String policyKey = "quarkus.http.auth.policy." + policy + ".";
            for (String key : config.getPropertyNames()) {
                if (key.startsWith(policyKey) && !key.equals(policyKey + "roles-allowed")) {
                    return Optional.empty();
                }
            }
            List<String> roles = config.getOptionalValues(policyKey + "roles-allowed", String.class).orElse(List.of());
            if (roles.isEmpty() || roles.stream().anyMatch(r -> r.contains("*") || r.contains("${"))) {
                return Optional.empty();
            }
            return Optional.of(new Policy(Set.copyOf(roles.stream().map(String::trim).toList())));
        }
        return Optional.empty();
    }

    /**
     * The policy for a request to {@code path} on the route with {@code prefix}, or null when another
     * permission might apply to the path (then Quarkus' security layer decides).
     */
    Policy policyFor(String prefix, String path) {
        RouteEntry entry = byPrefix.get(prefix);
        if (entry == null) {
            return null;
        }
        if (!entry.competitors().isEmpty()) {
            for (String[] pattern : entry.competitors()) {
                if (mightMatch(pattern, path)) {
                    return null;
                }
            }
        }
        return entry.policy();
    }

    /** Whether a permission path may match some path under the route prefix (segments of both). */
    private static boolean mayOverlap(String[] pattern, String[] prefix) {
        int n = pattern.length;
        boolean open = n > 0 && pattern[n - 1].contains("*");
        int fixed = open ? n - 1 : n;
        for (int i = 0; i < Math.min(fixed, prefix.length); i++) {
            if (!pattern[i].contains("*") && !pattern[i].equals(prefix[i])) {
                return false;
            }
        }
        return fixed >= prefix.length || open;
    }

    static boolean mightMatch(String pattern, String path) {
        return mightMatch(pattern.split("/", -1), path);
    }

    /**
     * Whether a permission path may match the request path: segment by segment, a segment with a
     * {@code *} matches any segment, a trailing {@code /*} any rest, the empty one included.
     * The request path is walked as it is, without splitting it (this runs per request).
     */
    static boolean mightMatch(String[] p, String path) {
        int n = p.length;
        boolean open = n > 0 && p[n - 1].contains("*");
        int fixed = open ? n - 1 : n;
        int segments = 1;
        for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
            segments++;
        }
        if (open ? segments < fixed : segments != fixed) {
            return false;
        }
        int start = 0;
        for (int i = 0; i < fixed; i++) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = p[i];
            if (!segment.contains("*")
                    && (segment.length() != end - start || !path.regionMatches(start, segment, 0, segment.length()))) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }
}
