package io.leadplatform.gateway.routing;

import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request id: taken from a well-formed incoming X-Request-Id ({@code [A-Za-z0-9._:-]{1,128}}),
 * otherwise generated: a random (version 4) UUID from {@link ThreadLocalRandom}. A request id
 * correlates log lines; it is no secret, so it needs no {@code SecureRandom} (whose shared, locked
 * generator {@link UUID#randomUUID()} uses cost a few per cent of the gateway's CPU per request).
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String KEY = "requestId";
    static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    public static String resolve(String incoming) {
        return incoming != null && wellFormed(incoming) ? incoming : generate();
    }

    public static String of(RoutingContext ctx) {
        String id = ctx.get(KEY);
        return id != null ? id : resolve(ctx.request().getHeader(HEADER));
    }

    /** 1 to 128 characters of {@code A-Z a-z 0-9 . _ : -}. */
    static boolean wellFormed(String id) {
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A random UUID (version 4, IETF variant) in its usual 36-character form. */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
