package io.leadplatform.common.rest;

import io.quarkus.arc.Arc;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may call an endpoint, found by path and HTTP method when Quarkus REST could not select the
 * resource method itself (the body's media type or the Accept header matched none): so such a request
 * is answered 401/403 when the caller may not call any endpoint there at all, before 415/406 says
 * anything about the endpoint. Read once from the {@code @Path} resource beans and their
 * {@code @RolesAllowed} / {@code @Authenticated} / {@code @PermitAll} annotations.
 */
final class EndpointRoles {

    /** One resource method: its HTTP method, path pattern and who may call it (null roles = anyone). */
    private record Endpoint(String method, Pattern path, Set<String> roles, boolean authenticated) {
    }

    private static volatile List<Endpoint> endpoints;

    private EndpointRoles() {
    }

    /** 0 when the caller may call some endpoint at this path and method, else 401 or 403. */
    static int denial(String httpMethod, String path, SecurityIdentity identity) {
        boolean anyMatch = false;
        boolean allowed = false;
        for (Endpoint e : endpoints()) {
            if (!e.method().equals(httpMethod) || !e.path().matcher(path).matches()) {
                continue;
            }
            anyMatch = true;
            if (e.roles() == null && !e.authenticated()) {
                allowed = true;
            } else if (identity != null && !identity.isAnonymous()
                    && (e.roles() == null || e.roles().stream().anyMatch(identity::hasRole))) {
                allowed = true;
            }
        }
        if (!anyMatch || allowed) {
            return 0;
        }
        return identity == null || identity.isAnonymous() ? 401 : 403;
    }

    private static List<Endpoint> endpoints() {
        List<Endpoint> list = endpoints;
        if (list == null) {
            list = scan();
            endpoints = list;
        }
        return list;
    }

    private static List<Endpoint> scan() {
        List<Endpoint> list = new ArrayList<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method m : type.getMethods()) {
                String http = httpMethod(m);
                if (http == null) {
                    continue;
                }
                Path methodPath = m.getAnnotation(Path.class);
                String template = join(classPath.value(), methodPath == null ? "" : methodPath.value());
                RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
                boolean permitAll = m.isAnnotationPresent(PermitAll.class);
                boolean authenticated = m.isAnnotationPresent(Authenticated.class);
                if (roles == null && !permitAll && !authenticated) {
                    roles = type.getAnnotation(RolesAllowed.class);
                    permitAll = type.isAnnotationPresent(PermitAll.class);
                    authenticated = type.isAnnotationPresent(Authenticated.class);
                }
                list.add(new Endpoint(http, pattern(template), roles == null || permitAll ? null : Set.of(roles.value()),
                        authenticated && !permitAll));
            }
        }
        return List.copyOf(list);
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String a, String b) {
        String left = a.startsWith("/") ? a : "/" + a;
        if (left.endsWith("/")) {
            left = left.substring(0, left.length() - 1);
        }
        if (b.isEmpty() || b.equals("/")) {
            return left.isEmpty() ? "/" : left;
        }
        return left + (b.startsWith("/") ? b : "/" + b);
    }

    /** {@code /a/{id}/b} -> {@code /a/[^/]+/b}; {@code {id: regex}} -> {@code regex}. */
    static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int depth = 1;
                int j = i + 1;
                while (j < template.length() && depth > 0) {
                    if (template.charAt(j) == '{') {
                        depth++;
                    } else if (template.charAt(j) == '}') {
                        depth--;
                    }
                    j++;
                }
                String inner = template.substring(i + 1, j - 1);
                int colon = inner.indexOf(':');
                regex.append('(').append(colon < 0 ? "[^/]+" : inner.substring(colon + 1).trim()).append(')');
                i = j;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        regex.append("/?");
        return Pattern.compile(regex.toString());
    }
}
