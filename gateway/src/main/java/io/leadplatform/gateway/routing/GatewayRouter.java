package io.leadplatform.gateway.routing;

import io.leadplatform.gateway.config.GatewayConfig;
import io.leadplatform.gateway.security.VerifiedTokenCache;
import io.quarkus.runtime.ShutdownEvent;
import org.eclipse.microprofile.config.ConfigProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.leadplatform.gateway.limits.CircuitBreaker;
import io.leadplatform.gateway.limits.RateLimiter;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gateway's Vert.x routes: request ids and access log, CORS, one reverse proxy per configured
 * prefix, problem+json for authentication/authorization failures, and a 404 for any other /api path.
 * Authentication (Keycloak bearer tokens) and the role policy per path run in Quarkus' HTTP security
 * layer (quarkus.http.auth.permission.*) before these proxy routes.
 */
@ApplicationScoped
public class GatewayRouter {

    private static final Logger LOG = Logger.getLogger(GatewayRouter.class);

    /** Runs before Quarkus' CORS (300), authentication (200) and authorization (100) filters. */
    static final int REQUEST_ID_PRIORITY = 400;
    /** The lean path for anonymous public posts runs first of all. */
    static final int FAST_PATH_PRIORITY = 500;
    static final int CORS_PRIORITY = 310;

    private final GatewayConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;

    private final VerifiedTokenCache tokenCache;
    private final Tracing tracing;
    private final AccessLog accessLog;
    private volatile List<UpstreamRoute> routes = List.of();
    private volatile PublicFastPath fastPath;
    private volatile VerifiedTokenPath tokenPath;
    private Forwarder forwarder;
    private RateLimits rateLimits;

    GatewayRouter(GatewayConfig config, Vertx vertx, MeterRegistry registry, VerifiedTokenCache tokenCache,
            Tracer tracer) {
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
        this.tokenCache = tokenCache;
        this.accessLog = new AccessLog(new RequestMetrics(registry, () -> routes));
        this.tracing = new Tracing(Forwarding.TRACING ? tracer : null, newTraceRatio(ConfigProvider.getConfig()),
                path -> {
                    for (UpstreamRoute r : routes) {
                        if (r.matches(path)) {
                            return r.prefix();
                        }
                    }
                    return null;
                });
    }

    /**
     * The share of new traces (no sampled traceparent from the caller) that the configured sampler records:
     * {@code quarkus.otel.traces.sampler.arg} for the ratio samplers, 0 for the always-off ones, 1 otherwise.
     */
    static double newTraceRatio(org.eclipse.microprofile.config.Config config) {
        String sampler = config.getOptionalValue("quarkus.otel.traces.sampler", String.class)
                .orElse("parentbased_always_on");
        if (sampler.endsWith("always_off")) {
            return 0;
        }
        if (sampler.endsWith("traceidratio")) {
            return config.getOptionalValue("quarkus.otel.traces.sampler.arg", Double.class).orElse(1.0);
        }
        return 1;
    }

    public List<UpstreamRoute> routes() {
        return routes;
    }

    void filters(@Observes Filters filters) {
        filters.register(this::fastPath, FAST_PATH_PRIORITY);
        filters.register(this::requestId, REQUEST_ID_PRIORITY);
        filters.register(this::cors, CORS_PRIORITY);
    }

    void routes(@Observes Router router) {
        HttpClientOptions clientOptions = new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(200)
                .setDecompressionSupported(false)
                // no client span per hop: Forwarding sends the server span's context as traceparent
                .setTracingPolicy(TracingPolicy.IGNORE);
        forwarder = new Forwarder(() -> vertx.createHttpClient(clientOptions));
        GatewayConfig.RateLimit limitConfig = config.rateLimit();
        RateLimiter limiter = new RateLimiter(limitConfig.window(), limitConfig.maxKeys());
        rateLimits = new RateLimits(limiter, limitConfig);
        if (limitConfig.enabled()) {
            vertx.setPeriodic(limitConfig.window().toMillis(), id -> limiter.sweep());
        }

        List<UpstreamRoute> built = new ArrayList<>();
        List<PublicFastPath.Entry> fast = new ArrayList<>();
        List<String> upstreamManaged = config.cors().upstreamManagedPaths();
        for (Map.Entry<String, GatewayConfig.Route> e : config.routes().entrySet()) {
            String name = e.getKey();
            UpstreamRoute route = build(name, e.getValue());
            built.add(route);
            for (String pattern : PublicFastPath.publicPostPaths(e.getValue().publicPaths().orElse(List.of()))) {
                if (route.matches(pattern)) {
                    Counter taken = Counter.builder("gateway.lean.path.requests")
                            .description("Anonymous public POSTs forwarded on the lean path (skipping the router chain)")
                            .tag("route", name).tag("path", pattern).register(registry);
                    fast.add(new PublicFastPath.Entry(pattern, route, upstreamManaged.contains(pattern), taken));
                }
            }
            LOG.infof("route %s: %s/** -> %s (read timeout %s, max body %d bytes, limits per %s: %s)", name,
                    route.prefix(), route.upstream(), route.readTimeout(), route.maxBodySize(), limitConfig.window(),
                    route.limits());
        }
        // longest prefix first, so a more specific route wins
        built.sort(Comparator.comparingInt((UpstreamRoute r) -> r.prefix().length()).reversed());
        routes = List.copyOf(built);
        fastPath = config.fastPath() ? new PublicFastPath(fast, forwarder, rateLimits, accessLog) : null;
        if (fastPath != null) {
            LOG.infof("lean path for anonymous public POSTs: %s",
                    fast.stream().map(PublicFastPath.Entry::pattern).toList());
            RoutePermissions permissions = RoutePermissions.from(ConfigProvider.getConfig(),
                    routes.stream().map(UpstreamRoute::prefix).toList());
            Map<String, Counter> taken = new HashMap<>();
            for (UpstreamRoute route : routes) {
                taken.put(route.name(), Counter.builder("gateway.lean.path.requests")
                        .description("Requests forwarded on the lean path (skipping the router chain)")
                        .tag("route", route.name()).tag("path", route.prefix() + "/** (verified token)")
                        .register(registry));
            }
            tokenPath = new VerifiedTokenPath(routes, permissions, tokenCache, forwarder, rateLimits, accessLog, taken);
            LOG.infof("lean path for verified tokens: routes %s", routes.stream()
                    .filter(r -> permissions.policyFor(r.prefix(), r.prefix() + "/x") != null)
                    .map(UpstreamRoute::name).toList());
        }
        // buffered access log lines are written at the latest about a second after the request
        vertx.setPeriodic(AccessLog.FLUSH_MILLIS / 4, id -> {
            if (accessLog.due(System.currentTimeMillis())) {
                accessLog.flush();
            }
        });
        for (UpstreamRoute route : routes) {
            router.route(route.prefix()).handler(ctx -> forward(ctx, route));
            router.route(route.prefix() + "/*").handler(ctx -> forward(ctx, route));
        }

        // anything else under /api is not a route of ours
        router.route("/api/*").order(RouteConstants.ROUTE_ORDER_AFTER_DEFAULT - 1).handler(ctx -> Problems.send(
                ctx.response(), "not-found", "Not Found", 404, "No route for " + ctx.request().path(),
                ctx.request().path()));

        // 401 / 403 from the security layer as problem+json
        router.route().order(Integer.MIN_VALUE).failureHandler(this::securityFailure);
    }

    private UpstreamRoute build(String name, GatewayConfig.Route r) {
        URI upstream = URI.create(r.upstream());
        Duration connectTimeout = r.connectTimeout().orElse(config.connectTimeout());
        Duration readTimeout = r.readTimeout().orElse(config.readTimeout());
        long maxBody = r.maxBodySize().orElse(config.maxBodySize()).asLongValue();
        GatewayConfig.CircuitBreaker cb = config.circuitBreaker();
        CircuitBreaker breaker = new CircuitBreaker(
                r.circuitBreaker().failureThreshold().orElse(cb.failureThreshold()),
                r.circuitBreaker().openDuration().orElse(cb.openDuration()));
        GatewayConfig.RateLimit l = config.rateLimit();
        int replicas = Math.max(1, l.replicas());
        UpstreamRoute.Limits limits = new UpstreamRoute.Limits(
                perReplica(r.rateLimit().ip().orElse(l.ip()), replicas),
                perReplica(r.rateLimit().user().orElse(l.user()), replicas),
                perReplica(r.rateLimit().client().orElse(l.client()), replicas),
                perReplica(r.rateLimit().partner().orElse(l.partner()), replicas));
        return new UpstreamRoute(name, trimSlash(r.prefix()), upstream, origin(upstream, connectTimeout, readTimeout),
                readTimeout, maxBody, breaker, limits);
    }

    /** The platform-wide limit split over the replicas (rounded up); 0 stays "no limit". */
    static long perReplica(long limit, int replicas) {
        return limit <= 0 ? 0 : (limit + replicas - 1) / replicas;
    }

    /** First filter of every request: its trace context, then the two lean entries, else the normal chain. */
    private void fastPath(RoutingContext ctx) {
        Tracing.Hop hop = tracing.start(ctx.request());
        PublicFastPath fp = fastPath;
        VerifiedTokenPath tp = tokenPath;
        if ((fp == null || !fp.handle(ctx, hop)) && (tp == null || !tp.handle(ctx, hop))) {
            if (hop != null) {
                ctx.put(Tracing.KEY, hop);
            }
            ctx.next();
        }
    }

    void flushAccessLog(@Observes ShutdownEvent event) {
        accessLog.flush();
    }

    private static RequestOptions origin(URI upstream, Duration connectTimeout, Duration readTimeout) {
        boolean ssl = "https".equalsIgnoreCase(upstream.getScheme());
        int port = upstream.getPort() > 0 ? upstream.getPort() : (ssl ? 443 : 80);
        return new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(port, upstream.getHost()))
                .setHost(upstream.getHost())
                .setPort(port)
                .setSsl(ssl)
                .setConnectTimeout(connectTimeout.toMillis())
                .setIdleTimeout(readTimeout.toMillis());
    }

    private void forward(RoutingContext ctx, UpstreamRoute route) {
        ctx.put(AccessLog.ROUTE_KEY, route.name());
        SecurityIdentity identity = ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (rateLimits.allow(ctx.request(), route, identity)) {
            forwarder.forward(ctx.request(), route, RequestIds.of(ctx), ctx.get(Tracing.KEY));
        }
    }

    private static String trimSlash(String prefix) {
        String p = prefix.startsWith("/") ? prefix : "/" + prefix;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    // ---- request id + access log -------------------------------------------------------------

    private void requestId(RoutingContext ctx) {
        ctx.put(RequestIds.KEY, accessLog.begin(ctx, ctx.get(Tracing.KEY), null));
        ctx.next();
    }

    /** The path with ids, tokens and anything that looks like personal data replaced (no query string). */
    static String redact(String path) {
        if (path == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(path.length() + 8);
        redact(path, out);
        return out.toString();
    }

    /** {@link #redact(String)} appended to {@code out}: one pass over the path, segment by segment. */
    static void redact(String path, StringBuilder out) {
        if (path == null) {
            return;
        }
        int start = 0;
        int n = path.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                boolean sensitive = i - start > 20;
                for (int j = start; j < i && !sensitive; j++) {
                    char c = path.charAt(j);
                    sensitive = c == '@' || Character.isDigit(c);
                }
                if (sensitive) {
                    out.append("{id}");
                } else {
                    out.append(path, start, i);
                }
                if (i < n) {
                    out.append('/');
                }
                start = i + 1;
            }
        }
    }

    // ---- CORS ---------------------------------------------------------------------------------

    /**
     * Exact match where a {@code *} segment of the pattern matches any one non-empty segment of the path.
     * Walks both strings segment by segment without allocating (it runs on every public POST).
     */
    static boolean matchesSegments(String pattern, String path) {
        int pi = 0;
        int ai = 0;
        int pn = pattern.length();
        int an = path.length();
        while (true) {
            int pEnd = pattern.indexOf('/', pi);
            if (pEnd < 0) {
                pEnd = pn;
            }
            int aEnd = path.indexOf('/', ai);
            if (aEnd < 0) {
                aEnd = an;
            }
            int pLen = pEnd - pi;
            int aLen = aEnd - ai;
            if (pLen == 1 && pattern.charAt(pi) == '*') {
                if (aLen == 0) {
                    return false;
                }
            } else if (pLen != aLen || !pattern.regionMatches(pi, path, ai, pLen)) {
                return false;
            }
            boolean pDone = pEnd == pn;
            boolean aDone = aEnd == an;
            if (pDone || aDone) {
                return pDone && aDone;
            }
            pi = pEnd + 1;
            ai = aEnd + 1;
        }
    }

    private void cors(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String origin = request.getHeader("Origin");
        if (origin == null) {
            ctx.next();
            return;
        }
        GatewayConfig.Cors cors = config.cors();
        String path = request.path();
        boolean preflight = request.method() == HttpMethod.OPTIONS
                && request.getHeader("Access-Control-Request-Method") != null;
        if (cors.upstreamManagedPaths().stream().anyMatch(pattern -> matchesSegments(pattern, path))) {
            // capture-service answers CORS for its public form/tracking endpoints (per-form origins)
            Optional<UpstreamRoute> route = routes.stream().filter(r -> r.matches(path)).findFirst();
            if (preflight && route.isPresent()) {
                ctx.put(AccessLog.ROUTE_KEY, route.get().name());
                forwarder.forward(request, route.get(), RequestIds.of(ctx), ctx.get(Tracing.KEY));
                return;
            }
            ctx.next();
            return;
        }
        boolean allowed = cors.origins().contains("*") || cors.origins().contains(origin);
        HttpServerResponse response = ctx.response();
        if (preflight) {
            if (!allowed) {
                Problems.send(response, "cors-origin-not-allowed", "Forbidden", 403,
                        "Origin not allowed", path);
                return;
            }
            String requestedMethod = request.getHeader("Access-Control-Request-Method").toUpperCase(Locale.ROOT);
            Set<String> methods = cors.methods().stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
            if (!methods.contains(requestedMethod)) {
                Problems.send(response, "cors-method-not-allowed", "Forbidden", 403,
                        "Method not allowed for cross-origin requests", path);
                return;
            }
            response.setStatusCode(204)
                    .putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Vary", "Origin")
                    .putHeader("Access-Control-Allow-Methods", String.join(",", cors.methods()))
                    .putHeader("Access-Control-Allow-Headers", String.join(",", cors.headers()))
                    .putHeader("Access-Control-Max-Age", String.valueOf(cors.maxAge().toSeconds()))
                    .end();
            return;
        }
        if (allowed) {
            response.headersEndHandler(v -> {
                response.headers().set("Access-Control-Allow-Origin", origin);
                response.headers().set("Access-Control-Expose-Headers", String.join(",", cors.exposedHeaders()));
                String vary = response.headers().get("Vary");
                if (vary == null) {
                    response.headers().set("Vary", "Origin");
                } else if (!vary.toLowerCase(Locale.ROOT).contains("origin")) {
                    response.headers().set("Vary", vary + ", Origin");
                }
            });
        }
        ctx.next();
    }

    // ---- security failures ----------------------------------------------------------------------

    private void securityFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        String path = ctx.request().path();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException
                || failure instanceof AuthenticationCompletionException || (failure == null && status == 401)) {
            boolean tokenSent = ctx.request().getHeader("Authorization") != null;
            ctx.response().putHeader("WWW-Authenticate",
                    tokenSent ? "Bearer realm=\"leads\", error=\"invalid_token\"" : "Bearer realm=\"leads\"");
            Problems.send(ctx.response(), "unauthorized", "Unauthorized", 401,
                    tokenSent ? "The bearer token is invalid or expired." : "A bearer token is required.", path);
        } else if (failure instanceof ForbiddenException || (failure == null && status == 403)) {
            Problems.send(ctx.response(), "forbidden", "Forbidden", 403,
                    "Your roles do not allow this request.", path);
        } else if (failure instanceof io.quarkus.oidc.OIDCException) {
            // Keycloak cannot be reached (discovery/JWKS): fail fast and say so, never a bare 500
            LOG.warnf("identity provider unavailable for %s: %s", redact(path), failure.getMessage());
            ctx.response().putHeader("Retry-After", "5");
            Problems.send(ctx.response(), "identity-provider-unavailable", "Service Unavailable", 503,
                    "The identity provider cannot be reached to verify the request; try again shortly.", path);
        } else if (failure != null && !ctx.response().ended()) {
            // anything else that failed in a route of ours: a problem, never an HTML/empty 500
            LOG.errorf(failure, "request failed: %s %s", ctx.request().method(), redact(path));
            Problems.send(ctx.response(), "internal-error", "Internal Server Error", 500,
                    "The gateway could not handle the request; it was logged.", path);
        } else {
            ctx.next();
        }
    }
}
