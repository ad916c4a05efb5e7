package io.leadplatform.common.rest;

import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemMappersTest {

    private static final UriInfo URI = (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[]{UriInfo.class},
            (proxy, method, args) -> method.getName().equals("getPath") ? "/api/x" : null);

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void anUnreachableDatabaseIsA503ProblemWithRetryAfter() {
        Response response = mappers.unexpected(new CompletionException(new ConnectException("Connection refused")), URI);
        assertEquals(503, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        assertEquals("5", response.getHeaderString("Retry-After"));
        String body = (String) response.getEntity();
        assertTrue(body.contains("\"status\":503"), body);
        assertTrue(body.contains("\"instance\":\"/api/x\""), body);
        assertFalse(body.contains("Connection refused"), "no internals in the answer: " + body);
    }

    @Test
    void aDatabaseShuttingDownIsA503() {
        assertEquals(503, mappers.unexpected(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null), URI).getStatus());
    }

    @Test
    void aWaitThatRanOutIsA503() {
        Response response = mappers.unexpected(new io.smallrye.mutiny.TimeoutException(), URI);
        assertEquals(503, response.getStatus());
        assertEquals("5", response.getHeaderString("Retry-After"));
    }

    @Test
    void otherFailuresStayA500WithoutInternals() {
        Response response = mappers.unexpected(new IllegalStateException("secret detail"), URI);
        assertEquals(500, response.getStatus());
        assertNull(response.getHeaderString("Retry-After"));
        assertFalse(((String) response.getEntity()).contains("secret detail"));
        assertEquals(500, mappers.unexpected(new PgException("duplicate key", "ERROR", "23505", null), URI).getStatus());
    }
}
