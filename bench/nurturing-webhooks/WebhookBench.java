import com.sun.net.httpserver.HttpServer;
import com.standardwebhooks.Webhook;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of nurturing-service's outbound webhooks against a local receiver (JDK HttpServer on a free
 * loopback port that verifies every signature with the Standard Webhooks library and counts distinct
 * webhook-ids, i.e. deliveries, and duplicates).
 *
 * 1. yardstick: the same receiver's own rate, POSTed to by a plain JDK HttpClient (32 in flight, signed alike);
 * 2. throughput: EVENTS lead.stage-changed (to MQL) events into the scoring topic as fast as Kafka takes
 *    them; deliveries/s = EVENTS / (last delivery received - first event sent); p50/p99 of event sent -> received;
 * 3. outage: the receiver stops listening (connections refused) for DOWN seconds while OUTAGE_EVENTS events
 *    arrive spread over that time; then it listens again. Reports lost (never received), duplicates and how
 *    long after the receiver came back the last delivery arrived (bounded by the backoff schedule).
 *
 * java -cp kafka-clients.jar:slf4j-api.jar:standardwebhooks.jar WebhookBench.java SERVICE_URL TOKEN SCORING_TOPIC
 *   env EVENTS (default 20000), OUTAGE_EVENTS (2000), DOWN (60 s), DRAIN_MAX (600 s)
 */
public class WebhookBench {

    private static final Pattern LEAD = Pattern.compile("\"leadId\":\"([0-9a-f-]{36})\"");

    static final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    static final AtomicLong requests = new AtomicLong();
    static final AtomicLong duplicates = new AtomicLong();
    static final AtomicLong badSignatures = new AtomicLong();
    static final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    static final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    static volatile Webhook verifier;
    static HttpServer server;
    static ExecutorService executor;
    static int port;

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String token = args[1];
        String topic = args[2];
        int events = Integer.parseInt(env("EVENTS", "20000"));
        int outageEvents = Integer.parseInt(env("OUTAGE_EVENTS", "2000"));
        int down = Integer.parseInt(env("DOWN", "60"));
        int drainMax = Integer.parseInt(env("DRAIN_MAX", "600"));

        listen(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String body = "{\"url\":\"http://127.0.0.1:" + port + "/hooks\",\"eventTypes\":[\"lead.mql\"],\"description\":\"bench\"}";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(service + "/api/nurturing/webhooks/subscriptions"))
                .header("Authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("subscription not created: " + created.statusCode() + " " + created.body());
        }
        String secret = created.body().replaceAll(".*\"secret\":\"([^\"]+)\".*", "$1");
        verifier = new Webhook(secret);
        System.out.printf("receiver on 127.0.0.1:%d, subscription created%n", port);

        yardstick(http, new Webhook(secret), 10);

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            // warm-up: a few hundred deliveries before the timed run (JIT, connections, pools)
            sendAll(producer, topic, 500, 0);
            awaitReceived(500, Duration.ofSeconds(120));
            reset();

            long t0 = System.nanoTime();
            sendAll(producer, topic, events, 0);
            long sent = System.nanoTime();
            boolean all = awaitReceived(events, Duration.ofSeconds(drainMax));
            long t1 = lastArrival();
            double seconds = (t1 - t0) / 1e9;
            System.out.printf("%n## Throughput%n");
            System.out.printf("events: %d (sent into Kafka in %.1f s); received: %d distinct deliveries%s, %d duplicates, %d bad signatures%n",
                    events, (sent - t0) / 1e9, firstSeen.size(), all ? "" : " (INCOMPLETE)", duplicates.get(), badSignatures.get());
            System.out.printf("**deliveries/s: %.0f** (first event sent -> last delivery received: %.1f s)%n", firstSeen.size() / seconds, seconds);
            printLatency();
            reset();

            System.out.printf("%n## Receiver down for %d s (connections refused)%n", down);
            stop();
            long downAt = System.nanoTime();
            sendAll(producer, topic, outageEvents, down * 1000L / Math.max(1, outageEvents) * 1_000_000L * 9 / 10);
            long remaining = down * 1_000_000_000L - (System.nanoTime() - downAt);
            if (remaining > 0) {
                Thread.sleep(remaining / 1_000_000);
            }
            listen(port);
            long upAt = System.nanoTime();
            boolean drained = awaitReceived(outageEvents, Duration.ofSeconds(drainMax));
            long last = lastArrival();
            System.out.printf("events during the outage: %d; received after it: %d distinct, lost: %d, duplicates: %d, bad signatures: %d%n",
                    outageEvents, firstSeen.size(), outageEvents - firstSeen.size(), duplicates.get(), badSignatures.get());
            System.out.printf("receiver back after %.0f s down; last delivery %.1f s after it came back%s%n",
                    (upAt - downAt) / 1e9, (last - upAt) / 1e9, drained ? "" : " (NOT all within DRAIN_MAX)");
        }
        stop();
    }

    /** The receiver's own rate: POSTs signed like a delivery, 32 in flight, for the given seconds. */
    static void yardstick(HttpClient http, Webhook signer, int seconds) throws Exception {
        String payload = "{\"type\":\"lead.mql\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{\"leadId\":\"" + UUID.randomUUID() + "\"}}";
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong ok = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    try {
                        String id = "yard_" + UUID.randomUUID();
                        long ts = Instant.now().getEpochSecond();
                        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/yardstick"))
                                .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
                                .header("webhook-id", id).header("webhook-timestamp", Long.toString(ts))
                                .header("webhook-signature", signer.sign(id, ts, payload))
                                .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
                        if (http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            ok.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // counted as not ok
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("%n## Yardstick%nplain JDK HttpClient -> the same receiver, 32 in flight, %d s: **%.0f POST/s**%n",
                seconds, ok.get() / (double) seconds);
        reset();
    }

    static void sendAll(KafkaProducer<String, String> producer, String topic, int n, long pauseNanos) throws Exception {
        for (int i = 0; i < n; i++) {
            UUID lead = UUID.randomUUID();
            String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/scoring-service\","
                    + "\"type\":\"lead.stage-changed\",\"time\":\"" + Instant.now() + "\",\"subject\":\"" + lead + "\","
                    + "\"datacontenttype\":\"application/json\",\"data\":{\"leadId\":\"" + lead + "\",\"from\":\"LEAD\",\"to\":\"MQL\","
                    + "\"reason\":\"bench\",\"actor\":\"system\",\"changedAt\":\"" + Instant.now() + "\"}}";
            sentAt.put(lead.toString(), System.nanoTime());
            producer.send(new ProducerRecord<>(topic, lead.toString(), event));
            if (pauseNanos > 0) {
                Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
            }
        }
        producer.flush();
    }

    static void listen(int wanted) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 1024);
        executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] bytes;
            try (InputStream in = exchange.getRequestBody()) {
                bytes = in.readAllBytes();
            }
            String body = new String(bytes, StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            try {
                verifier.verify(body, headers);
            } catch (Exception e) {
                badSignatures.incrementAndGet();
            }
            if (exchange.getRequestURI().getPath().equals("/hooks")) {
                requests.incrementAndGet();
                long now = System.nanoTime();
                String id = headers.get("webhook-id").get(0);
                if (firstSeen.putIfAbsent(id, now) != null) {
                    duplicates.incrementAndGet();
                } else {
                    Matcher m = LEAD.matcher(body);
                    Long sent = m.find() ? sentAt.remove(m.group(1)) : null;
                    if (sent != null) {
                        latencies.add(now - sent);
                    }
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    static void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    static boolean awaitReceived(int n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (firstSeen.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return firstSeen.size() >= n;
    }

    static long lastArrival() {
        return firstSeen.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
    }

    static void printLatency() {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return;
        }
        System.out.printf("event sent -> delivery received: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }

    static void reset() {
        firstSeen.clear();
        requests.set(0);
        duplicates.set(0);
        badSignatures.set(0);
        latencies.clear();
        sentAt.clear();
    }

    static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }
}
