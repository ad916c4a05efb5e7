package io.leadplatform.gateway.routing;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One access log line per request when its response ends: method, redacted path (no query string,
 * ids and anything like personal data replaced), route, status and duration, with the request id and
 * trace ids like every other log line.
 * <p>
 * Buffered like nginx's {@code access_log ... buffer= flush=}: the lines are written to standard output
 * in the console log format ({@code quarkus.log.console.format}: time, level, category, thread,
 * {@code requestId=}, {@code traceId=}, {@code spanId=}, message) but collected and written together,
 * at most {@link #BUFFER_BYTES} at a time and at the latest {@link #FLUSH_MILLIS} ms after the line (and
 * at shutdown). Per request that saves a write syscall and the log manager's format pipeline, which
 * together were a tenth of the gateway's CPU per request. {@code INFO} of category
 * {@value #CATEGORY} switches it on (the default) or off, as before.
 */
final class AccessLog {

    static final String CATEGORY = "io.leadplatform.gateway.access";
    static final String ROUTE_KEY = "gateway.route";
    /** MDC keys of the trace ids ({@code %X{traceId}}, {@code %X{spanId}} of the console format). */
    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";
    /** Below PIPE_BUF, so a batch is never interleaved with other log output on a pipe. */
    static final int BUFFER_BYTES = 4096;
    static final long FLUSH_MILLIS = 1000;

    private static final Logger ACCESS = Logger.getLogger(CATEGORY);
    /** {@code %c{3.}} of the category, as the console format abbreviates it. */
    private static final String CATEGORY_SHORT = "io.lea.gat.access";
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX").withZone(ZoneId.systemDefault());

    private final OutputStream out;
    private final RequestMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final StringBuilder buffer = new StringBuilder(BUFFER_BYTES * 2);
    private long firstLineAt;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText = "";
    private String cachedOffset = "";

    /** Lines to standard output; {@code metrics}: the HTTP server timer recorded at the same end of request. */
    AccessLog(RequestMetrics metrics) {
        this(null, metrics);
    }

    /** {@code out}: where the lines go; null = standard output ({@code System.out} at the time of writing). */
    AccessLog(OutputStream out) {
        this(out, null);
    }

    private AccessLog(OutputStream out, RequestMetrics metrics) {
        this.out = out;
        this.metrics = metrics;
    }

    /**
     * What every data path does first for a request: the request id (incoming if well formed, else new) in
     * the answer and, with the trace ids of {@code hop}, in the logging MDC; at the end of the request the
     * gateway's span (sampled requests only) is ended and the access line written. Returns the request id.
     */
    String begin(RoutingContext ctx, Tracing.Hop hop, String route) {
        HttpServerRequest request = ctx.request();
        String requestId = RequestIds.resolve(request.getHeader(RequestIds.HEADER));
        MDC.put(RequestIds.KEY, requestId);
        if (hop != null) {
            MDC.put(TRACE_ID, hop.traceId());
            MDC.put(SPAN_ID, hop.spanId());
        }
        request.response().putHeader(RequestIds.HEADER, requestId);
        onEnd(ctx, requestId, route, hop);
        return requestId;
    }

    /**
     * At the end of the request: the span (sampled only), the HTTP server timer, the access line; the route is
     * read then from {@link #ROUTE_KEY} unless given.
     */
    private void onEnd(RoutingContext ctx, String requestId, String route, Tracing.Hop hop) {
        long start = System.nanoTime();
        ctx.addEndHandler(ar -> {
            long nanos = System.nanoTime() - start;
            int status = ctx.response().getStatusCode();
            if (hop != null) {
                hop.end(status);
            }
            String method = ctx.request().method().name();
            String path = ctx.request().path();
            String r = route != null ? route : ctx.get(ROUTE_KEY);
            if (metrics != null) {
                metrics.record(method, path, r, status, nanos);
            }
            if (ACCESS.isInfoEnabled()) {
                line(requestId, hop == null ? null : hop.traceId(), hop == null ? null : hop.spanId(), method, path, r,
                        status, nanos / 1_000_000);
            }
        });
    }

    /** Appends one line (written with the next batch). */
    void line(String requestId, String method, String path, String route, int status, long durationMs) {
        line(requestId, null, null, method, path, route, status, durationMs);
    }

    /** Appends one line (written with the next batch); trace ids null when tracing is off. */
    void line(String requestId, String traceId, String spanId, String method, String path, String route, int status,
            long durationMs) {
        long now = System.currentTimeMillis();
        String thread = Thread.currentThread().getName();
        byte[] batch = null;
        lock.lock();
        try {
            StringBuilder b = buffer;
            int lineStart = b.length();
            timestamp(b, now);
            b.append(" INFO  [").append(CATEGORY_SHORT).append("] (").append(thread).append(") requestId=")
                    .append(requestId).append(" traceId=").append(traceId == null ? "" : traceId)
                    .append(" spanId=").append(spanId == null ? "" : spanId).append(' ')
                    .append(method).append(' ');
            GatewayRouter.redact(path, b);
            b.append(" route=").append(route == null ? "-" : route).append(" status=").append(status)
                    .append(" durationMs=").append(durationMs).append('\n');
            if (lineStart == 0) {
                firstLineAt = now;
            }
            if (b.length() >= BUFFER_BYTES || now - firstLineAt >= FLUSH_MILLIS) {
                // the lines before this one when they alone fill the buffer, so a batch stays below BUFFER_BYTES
                int end = b.length() > BUFFER_BYTES && lineStart > 0 ? lineStart : b.length();
                batch = b.substring(0, end).getBytes(StandardCharsets.UTF_8);
                b.delete(0, end);
                firstLineAt = now;
            }
        } finally {
            lock.unlock();
        }
        write(batch);
    }

    /** Writes what is buffered (periodically, and at shutdown). */
    void flush() {
        byte[] batch = null;
        lock.lock();
        try {
            if (!buffer.isEmpty()) {
                batch = buffer.toString().getBytes(StandardCharsets.UTF_8);
                buffer.setLength(0);
            }
        } finally {
            lock.unlock();
        }
        write(batch);
    }

    /** Whether a line has waited {@link #FLUSH_MILLIS} (the periodic flush then writes it). */
    boolean due(long nowMillis) {
        lock.lock();
        try {
            return !buffer.isEmpty() && nowMillis - firstLineAt >= FLUSH_MILLIS;
        } finally {
            lock.unlock();
        }
    }

    private void write(byte[] batch) {
        if (batch == null) {
            return;
        }
        OutputStream target = out != null ? out : System.out;
        try {
            target.write(batch);
            target.flush();
        } catch (IOException e) {
            ACCESS.debugf("access log lines lost: %s", e.getMessage());
        }
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX}, the seconds part formatted once per second. */
    private void timestamp(StringBuilder b, long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            Instant instant = Instant.ofEpochSecond(second);
            cachedSecondText = SECONDS.format(instant);
            cachedOffset = OFFSET.format(instant);
            cachedSecond = second;
        }
        int ms = (int) Math.floorMod(millis, 1000);
        b.append(cachedSecondText).append('.');
        if (ms < 100) {
            b.append('0');
        }
        if (ms < 10) {
            b.append('0');
        }
        b.append(ms).append(cachedOffset);
    }
}
