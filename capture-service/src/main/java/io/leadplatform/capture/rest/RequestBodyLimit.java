package io.leadplatform.capture.rest;

import io.leadplatform.capture.config.ImportConfig;
import io.leadplatform.common.rest.Problem;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The service accepts large bodies only for CSV imports (quarkus.http.limits.max-body-size is raised for
 * them); every other endpoint keeps the 1 MB limit: larger Content-Length → 413, a body without length
 * (chunked) → 411. Runs before any body is read.
 */
@ApplicationScoped
public class RequestBodyLimit {

    static final String IMPORTS = "/api/capture/imports";

    void install(@Observes Router router, ImportConfig config) {
        long limit = config.maxBodyBytes();
        router.route().order(-1000).handler(ctx -> {
            HttpMethod method = ctx.request().method();
            boolean carriesBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
            String path = ctx.normalizedPath();
            if (!carriesBody || path.equals(IMPORTS) || path.startsWith(IMPORTS + "/")) {
                ctx.next();
                return;
            }
            String length = ctx.request().getHeader("Content-Length");
            Problem problem = null;
            if (length == null) {
                if (ctx.request().getHeader("Transfer-Encoding") != null) {
                    problem = Problem.of(411, "Length Required", "send the body with a Content-Length (at most " + limit + " bytes)");
                }
            } else {
                try {
                    if (Long.parseLong(length.trim()) > limit) {
                        problem = Problem.of(413, "Content Too Large", "the body is larger than " + limit + " bytes");
                    }
                } catch (NumberFormatException e) {
                    problem = Problem.of(400, "Bad Request", "Content-Length is not a number");
                }
            }
            if (problem == null) {
                ctx.next();
            } else {
                ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(problem.withInstance(path).toJson());
            }
        });
    }
}
