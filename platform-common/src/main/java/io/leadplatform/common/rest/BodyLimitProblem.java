package io.leadplatform.common.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * A request whose Content-Length is over {@code quarkus.http.limits.max-body-size} gets a 413
 * problem+json (Quarkus' own check answers with an empty body). Runs as an early router filter, before
 * that check, with the same limit; the connection is closed after the answer, so the unread body is
 * never read. A chunked body over the limit is still stopped by Quarkus while it is read.
 */
@ApplicationScoped
public class BodyLimitProblem {

    /** Ahead of Quarkus' body-size route (order -2) and of the security filters. */
    static final int PRIORITY = 1000;

    private final Optional<MemorySize> maxBodySize;

    BodyLimitProblem(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    void register(@Observes Filters filters) {
        if (maxBodySize.isPresent()) {
            long max = maxBodySize.get().asLongValue();
            filters.register(ctx -> check(ctx, max), PRIORITY);
        }
    }

    static void check(RoutingContext ctx, long max) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isOver(length, max)) {
            HttpServerResponse response = ctx.response();
            Buffer body = Buffer.buffer(Problem.of(413, "Content Too Large",
                    "the request body is larger than " + max + " bytes").withInstance(ctx.request().path()).toJson());
            response.setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()))
                    .endHandler(v -> ctx.request().connection().close());
            response.end(body);
            return;
        }
        ctx.next();
    }

    private static boolean isOver(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
