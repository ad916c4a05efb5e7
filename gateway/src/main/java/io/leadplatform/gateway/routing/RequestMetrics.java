package io.leadplatform.gateway.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The HTTP server timer {@code http.server.requests} (Prometheus {@code http_server_requests_seconds}), same
 * name and tags ({@code method}, {@code uri}, {@code status}, {@code outcome}) as Quarkus' HTTP server binder,
 * recorded by the gateway at the end of every request its router sees, instead of by the binder
 * ({@code quarkus.micrometer.binder.http-server.enabled=false}). Why: per request the binder builds a request
 * metric, runs the URI match patterns (regular expressions), builds a tag list and looks the timer up by it,
 * samples an exemplar and records two byte-size summaries; here the timer of a (uri, method, status) is looked
 * up in an array and only the duration is recorded.
 * <p>
 * {@code uri}: proxied paths collapse into one series per route ({@code /api/capture/*}), any other
 * {@code /api/...} path into {@code /api/*}; other paths keep their path, except {@code NOT_FOUND} (404) and
 * {@code REDIRECTION} (3xx), as the binder names them; {@code /q/...} is not recorded (the binder's default of
 * suppressing non-application URIs).
 */
final class RequestMetrics {

    static final String NAME = "http.server.requests";
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    private static final int STATUSES = 500; // 100..599
    private static final String API_URI = "/api/*";

    private final MeterRegistry registry;
    private final Supplier<List<UpstreamRoute>> routes;
    /** Per uri: the timers by method index and status, created on first use. */
    private final ConcurrentHashMap<String, AtomicReferenceArray<Timer>> byUri = new ConcurrentHashMap<>();
    /** The uri tag of each route prefix ({@code /api/capture/*}). */
    private final ConcurrentHashMap<String, String> routeUris = new ConcurrentHashMap<>();
    /** Timers of other methods or statuses, by "method status uri". */
    private final ConcurrentHashMap<String, Timer> others = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry, Supplier<List<UpstreamRoute>> routes) {
        this.registry = registry;
        this.routes = routes;
    }

    /** {@code route}: the name of the route that served the request, null when none did (or not known). */
    void record(String method, String path, String route, int status, long nanos) {
        String uri = uri(path, route, status);
        if (uri == null) {
            return;
        }
        int m = methodIndex(method);
        if (m < 0 || status < 100 || status >= 100 + STATUSES) {
            others.computeIfAbsent(method + ' ' + status + ' ' + uri, k -> timer(method, uri, status))
                    .record(nanos, TimeUnit.NANOSECONDS);
            return;
        }
        AtomicReferenceArray<Timer> timers = byUri.computeIfAbsent(uri,
                k -> new AtomicReferenceArray<>(METHODS.length * STATUSES));
        int slot = m * STATUSES + status - 100;
        Timer timer = timers.get(slot);
        if (timer == null) {
            timer = timer(method, uri, status);
            timers.set(slot, timer); // the registry returns the same timer for the same tags
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String method, String uri, int status) {
        return Timer.builder(NAME)
                .tags("method", method, "uri", uri, "status", Integer.toString(status),
                        "outcome", Outcome.forStatus(status).name())
                .register(registry);
    }

    /** The {@code uri} tag (see the class comment); null: not recorded. */
    String uri(String path, String route, int status) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "root";
        }
        if (path.startsWith("/q/") || path.equals("/q")) {
            return null;
        }
        if (path.startsWith("/api/")) {
            for (UpstreamRoute r : routes.get()) {
                if (route != null ? r.name().equals(route) : under(path, r.prefix())) {
                    return under(path, r.prefix()) ? routeUris.computeIfAbsent(r.prefix(), p -> p + "/*") : API_URI;
                }
            }
            return API_URI;
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        if (status >= 300 && status < 400) {
            return "REDIRECTION";
        }
        return path;
    }

    private static boolean under(String path, String prefix) {
        return path.length() > prefix.length() && path.startsWith(prefix) && path.charAt(prefix.length()) == '/';
    }

    private static int methodIndex(String method) {
        for (int i = 0; i < METHODS.length; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return -1;
    }
}
