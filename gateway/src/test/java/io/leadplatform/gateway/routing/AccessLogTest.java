package io.leadplatform.gateway.routing;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogTest {

    /** Records every write separately (one write = one syscall on standard output). */
    private static final class Writes extends OutputStream {
        final List<String> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException("lines are written as whole batches");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }

    @Test
    void linesHaveTheConsoleFieldsAndARedactedPath() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog log = new AccessLog(out);
        log.line("rid-1", "GET", "/api/capture/leads/0b6f4b0c-42/notes", "capture", 200, 3);
        assertEquals(0, out.size(), "buffered until the batch is full or due");
        log.flush();
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  "
                + "\\[io\\.lea\\.gat\\.access] \\(.+\\) requestId=rid-1 traceId= spanId= "
                + "GET /api/capture/leads/\\{id}/notes route=capture status=200 durationMs=3\n"), line);
    }

    @Test
    void batchesStayBelowPipeBufAndKeepEveryLine() {
        Writes out = new Writes();
        AccessLog log = new AccessLog(out);
        for (int i = 0; i < 200; i++) {
            log.line("rid-" + i, "POST", "/api/capture/forms/contact/submissions", "capture", 202, 1);
        }
        log.flush();
        assertTrue(out.writes.size() > 1 && out.writes.size() < 20, "batched: " + out.writes.size() + " writes");
        int lines = 0;
        for (String w : out.writes) {
            assertTrue(w.getBytes(StandardCharsets.UTF_8).length <= AccessLog.BUFFER_BYTES, "batch of " + w.length());
            assertTrue(w.endsWith("\n"), "whole lines only");
            lines += (int) w.chars().filter(c -> c == '\n').count();
        }
        assertEquals(200, lines);
        assertTrue(String.join("", out.writes).contains("requestId=rid-199 "));
    }

    @Test
    void aLineIsDueAfterTheFlushInterval() {
        AccessLog log = new AccessLog(new ByteArrayOutputStream());
        long now = System.currentTimeMillis();
        assertTrue(!log.due(now + 5 * AccessLog.FLUSH_MILLIS), "nothing buffered");
        log.line("rid", "GET", "/api/kpi/reports", "kpi", 200, 1);
        assertTrue(log.due(now + 2 * AccessLog.FLUSH_MILLIS));
        log.flush();
        assertTrue(!log.due(now + 2 * AccessLog.FLUSH_MILLIS));
    }
}
