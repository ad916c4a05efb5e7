package io.leadplatform.gateway.routing;

import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.regex.Pattern;

/** The request id: taken from a well-formed incoming X-Request-Id, otherwise generated. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String KEY = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    public static String resolve(String incoming) {
        return incoming != null && SAFE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }

    public static String of(RoutingContext ctx) {
        String id = ctx.get(KEY);
        return id != null ? id : resolve(ctx.request().getHeader(HEADER));
    }
}
