import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Load generator of bench/soak/run.sh (run as a single-file program, JDK only). Posts JSON form submissions, a unique
 * e-mail each, to one URL and records every answer by status; the requests leave from several loopback source
 * addresses (127.1.x.y) so that the gateway's per-IP limit of public paths sees many visitors, as in production.
 * <ul>
 *   <li>{@code ramp}: closed loop, {@code --connections} requests in flight for {@code --seconds}: the peak
 *       (accepted per second) with everything else running;</li>
 *   <li>{@code stream}: open loop at a fixed {@code --rate} for {@code --seconds}, at most {@code --max-in-flight}
 *       requests outstanding (a request that would exceed it is counted as {@code skipped}, never silently dropped);
 *       one progress line per 10 s.</li>
 * </ul>
 * Both write {@code key=value} lines to {@code --out}: sent, ok (2xx), errors (anything else, no answer included),
 * status.N counts (-1 no answer in time, -2 no connection), skipped, rate.achieved, latency p50/p99/max.
 */
public class SoakLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        SoakLoad load = new SoakLoad(o);
        switch (args[0]) {
            case "ramp" -> load.ramp(Integer.parseInt(o.get("connections")), Double.parseDouble(o.get("seconds")));
            case "stream" -> load.stream(Double.parseDouble(o.get("rate")), Double.parseDouble(o.get("seconds")),
                    Integer.parseInt(o.getOrDefault("max-in-flight", "4096")));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private final URI url;
    private final String tag;
    private final Path out;
    private final Duration timeout;
    private final List<HttpClient> clients = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final Map<String, String> samples = new ConcurrentHashMap<>();
    /** Latency histogram in milliseconds (last bucket: 60 s and more). */
    private final AtomicLongArray latency = new AtomicLongArray(60_001);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    SoakLoad(Map<String, String> o) throws IOException {
        url = URI.create(o.get("url"));
        tag = o.get("tag");
        out = Path.of(o.get("out"));
        timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout", "30")));
        int ips = Integer.parseInt(o.getOrDefault("source-ips", "1"));
        for (int i = 0; i < ips; i++) {
            HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
            if (ips > 1) {
                b.localAddress(InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 250), (byte) (i % 250 + 1)}));
            }
            clients.add(b.build());
        }
    }

    private HttpRequest next(long n) {
        String email = "soak-" + tag + "-" + n + "@soak.example.com";
        String body = "{\"email\":\"" + email + "\",\"firstName\":\"Soak\",\"company\":\"Soak Co\",\"jobTitle\":\"CTO\",\"country\":\"DE\","
                + "\"utm\":{\"source\":\"soak\"}}";
        return HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Sends one request from the n-th source address; the future completes once the answer is recorded. */
    private java.util.concurrent.CompletableFuture<Void> send(long n) {
        long t0 = System.nanoTime();
        sent.incrementAndGet();
        return clients.get((int) (n % clients.size())).sendAsync(next(n), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    latency.incrementAndGet((int) Math.min(ms, latency.length() - 1));
                    int status;
                    if (error != null) {
                        status = error instanceof java.net.http.HttpTimeoutException
                                || error.getCause() instanceof java.net.http.HttpTimeoutException ? -1 : -2;
                        samples.putIfAbsent(String.valueOf(status), error.toString());
                    } else {
                        status = response.statusCode();
                        if (status / 100 != 2) {
                            String b = response.body();
                            samples.putIfAbsent(String.valueOf(status), b.length() > 300 ? b.substring(0, 300) : b);
                        }
                    }
                    byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    return null;
                });
    }

    void ramp(int connections, double seconds) throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        Thread[] workers = new Thread[connections];
        for (int w = 0; w < connections; w++) {
            workers[w] = Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    try {
                        send(sequence.getAndIncrement()).get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }
        for (Thread t : workers) {
            t.join();
        }
        summary((System.nanoTime() - start) / 1e9);
    }

    void stream(double rate, double seconds, int maxInFlight) throws Exception {
        Semaphore inFlight = new Semaphore(maxInFlight);
        long total = Math.round(rate * seconds);
        long start = System.nanoTime();
        long nextProgress = start + 10_000_000_000L;
        Path progress = Path.of(out + ".progress");
        try (PrintWriter p = new PrintWriter(Files.newBufferedWriter(progress), true)) {
            long lastSent = 0;
            for (long i = 0; i < total; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (System.nanoTime() >= nextProgress) {
                    long ok = ok();
                    p.printf("%d s: sent %d (%.0f/s in the last 10 s), 2xx %d, errors %d, skipped %d, in flight %d%n",
                            (System.nanoTime() - start) / 1_000_000_000L, sent.get(), (sent.get() - lastSent) / 10.0, ok,
                            errors(), skipped.get(), maxInFlight - inFlight.availablePermits());
                    lastSent = sent.get();
                    nextProgress += 10_000_000_000L;
                }
                if (!inFlight.tryAcquire()) {
                    skipped.incrementAndGet();
                    continue;
                }
                send(i).whenComplete((v, e) -> inFlight.release());
            }
            // the last answers: at most the request timeout
            inFlight.tryAcquire(maxInFlight, timeout.toSeconds() + 10, TimeUnit.SECONDS);
            p.printf("end: sent %d, 2xx %d, errors %d, skipped %d%n", sent.get(), ok(), errors(), skipped.get());
        }
        summary((System.nanoTime() - start) / 1e9);
    }

    private long ok() {
        return byStatus.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(e -> e.getValue().get()).sum();
    }

    private long errors() {
        return byStatus.entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(e -> e.getValue().get()).sum();
    }

    private long percentile(double q) {
        long n = 0;
        for (int i = 0; i < latency.length(); i++) {
            n += latency.get(i);
        }
        long target = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < latency.length(); i++) {
            seen += latency.get(i);
            if (seen >= target && n > 0) {
                return i;
            }
        }
        return 0;
    }

    private void summary(double elapsed) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("sent=" + sent.get());
        lines.add("ok=" + ok());
        lines.add("errors=" + errors());
        lines.add("skipped=" + skipped.get());
        new TreeMap<>(byStatus).forEach((s, n) -> lines.add("status." + s + "=" + n.get()));
        lines.add("elapsed.s=" + String.format("%.1f", elapsed));
        lines.add("rate.achieved=" + Math.round(ok() / elapsed));
        lines.add("latency.p50.ms=" + percentile(0.50));
        lines.add("latency.p99.ms=" + percentile(0.99));
        lines.add("latency.max.ms=" + percentile(1.0));
        samples.forEach((s, b) -> lines.add("sample." + s + "=" + b.replaceAll("\\s+", " ")));
        Files.write(out, lines);
        System.out.println(String.join("\n", lines));
    }
}
