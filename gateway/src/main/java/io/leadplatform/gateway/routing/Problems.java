package io.leadplatform.gateway.routing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** RFC 9457 problem details written straight to a Vert.x response. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://leadplatform.io/problems/";

    private Problems() {
    }

    public static Buffer body(String type, String title, int status, String detail, String instance) {
        JsonObject json = new JsonObject()
                .put("type", TYPE_BASE + type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        if (instance != null) {
            json.put("instance", instance);
        }
        return json.toBuffer();
    }

    public static void send(HttpServerResponse response, String type, String title, int status, String detail,
            String instance) {
        send(response, status, () -> body(type, title, status, detail, instance));
    }

    /**
     * Writes a problem body unless the response has ended; once its head is out, a problem can no
     * longer be sent and the stream is reset instead. The body is only built when it is sent.
     */
    static void send(HttpServerResponse response, int status, java.util.function.Supplier<Buffer> problem) {
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        Buffer body = problem.get();
        response.setStatusCode(status)
                .putHeader("Content-Type", MEDIA_TYPE)
                .putHeader("Content-Length", String.valueOf(body.length()))
                .end(body);
    }
}
