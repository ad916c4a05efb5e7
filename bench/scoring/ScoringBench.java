import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for scoring-service: captures L leads, then pushes N lead.activity events (round
 * robin over the leads, optionally paced to R events/s) into the input topic and reads lead.scored
 * from the output topic.
 * <p>
 * scoring-service scores a lead once per consumed batch, so one lead.scored may answer several
 * activities of its lead. Each engagement contribution of lead.scored says how many events matched its
 * rule ("(N events"); the generator knows how many rules of the seeded default model each activity it
 * sends matches (see {@link #ruleMatches}), so a lead.scored whose counts sum to M answers every activity
 * of that lead whose cumulative match count is ≤ M: latency = receive time of the first such lead.scored
 * − send time of the activity (consume, scoring transaction, outbox relay, Kafka).
 *
 * LATENCY_LOG=file writes one line per timed activity: milliseconds from the first send, latency in ms.
 * Before the timed events, WARMUP activities (environment, default 20,000) are sent at the same rate and
 * waited for, untimed, so that the figures are those of a JIT-compiled service, not of its first seconds.
 *
 * java -cp kafka-clients.jar:slf4j-api.jar ScoringBench.java IN_TOPIC OUT_TOPIC LEADS EVENTS RATE(0 = as fast as possible)
 */
public class ScoringBench {

    private static final Pattern SUBJECT = Pattern.compile("\"subject\":\"([0-9a-f-]{36})\"");
    private static final Pattern RULE_EVENTS = Pattern.compile("\\((\\d+) events");

    /** An activity sent: when, the lead's cumulative rule-match count once it is scored, and whether it is timed. */
    private record Sent(long nanos, long matchesUpTo, boolean timed) {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String in = args[0];
        String out = args[1];
        int leads = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "20000"));

        List<UUID> leadIds = new ArrayList<>();
        for (int i = 0; i < leads; i++) {
            leadIds.add(UUID.randomUUID());
        }
        Map<UUID, ConcurrentLinkedQueue<Sent>> sentAt = new ConcurrentHashMap<>();
        Map<UUID, long[]> matchesSent = new ConcurrentHashMap<>();
        leadIds.forEach(id -> {
            sentAt.put(id, new ConcurrentLinkedQueue<>());
            matchesSent.put(id, new long[1]);
        });
        long[] latencies = new long[events];
        long[] sentOffsets = new long[events];
        AtomicLong startNanos = new AtomicLong();
        AtomicLong scored = new AtomicLong();
        AtomicLong scoredEvents = new AtomicLong();
        AtomicLong warmedUp = new AtomicLong();
        AtomicLong lastScoredNanos = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        Map<UUID, Boolean> initiallyScored = new ConcurrentHashMap<>();

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp);
        consumer.subscribe(List.of(out));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);

        Thread reader = new Thread(() -> {
            while (scored.get() < events) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    String v = r.value();
                    if (!v.contains("\"type\":\"lead.scored\"")) {
                        continue;
                    }
                    Matcher m = SUBJECT.matcher(v);
                    if (!m.find()) {
                        continue;
                    }
                    UUID lead = UUID.fromString(m.group(1));
                    ConcurrentLinkedQueue<Sent> q = sentAt.get(lead);
                    if (q == null) {
                        continue;
                    }
                    initiallyScored.put(lead, Boolean.TRUE);
                    if (measuring.get()) {
                        scoredEvents.incrementAndGet();
                    }
                    long matches = 0;
                    Matcher c = RULE_EVENTS.matcher(v);
                    while (c.find()) {
                        matches += Long.parseLong(c.group(1));
                    }
                    for (Sent sent = q.peek(); sent != null && sent.matchesUpTo() <= matches; sent = q.peek()) {
                        q.poll();
                        if (!sent.timed()) {
                            warmedUp.incrementAndGet();
                            continue;
                        }
                        long n = scored.getAndIncrement();
                        if (n < events) {
                            latencies[(int) n] = now - sent.nanos();
                            sentOffsets[(int) n] = sent.nanos() - startNanos.get();
                        }
                        lastScoredNanos.set(now);
                    }
                }
            }
        });
        reader.setDaemon(true);
        reader.start();

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        pp.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            for (UUID id : leadIds) {
                producer.send(new ProducerRecord<>(in, id.toString(), captured(id)));
            }
            producer.flush();
            long waitUntil = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (initiallyScored.size() < leads && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            System.out.printf("captured %d leads (%d scored)%n", leads, initiallyScored.size());
            // warm-up of the service (JIT, not timed): WARMUP activities at the same rate as the timed ones, until all are scored
            long warmupStart = System.nanoTime();
            for (int i = 0; i < warmup; i++) {
                pace(warmupStart, i, rate);
                send(producer, in, leadIds.get(i % leads), i, sentAt, matchesSent, false);
            }
            producer.flush();
            waitUntil = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            while (warmedUp.get() < warmup && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            System.out.printf("warm-up: %d of %d activities scored%n", warmedUp.get(), warmup);
            Thread.sleep(1000);
            measuring.set(true);

            long start = System.nanoTime();
            startNanos.set(start);
            for (int i = 0; i < events; i++) {
                pace(start, i, rate);
                send(producer, in, leadIds.get(i % leads), i, sentAt, matchesSent, true);
            }
            producer.flush();
            long sentNanos = System.nanoTime() - start;
            System.out.printf("sent %d activities in %.2f s (%.0f/s offered)%n", events, sentNanos / 1e9, events / (sentNanos / 1e9));

            long deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
            while (scored.get() < events && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long done = Math.min(scored.get(), events);
            long elapsed = lastScoredNanos.get() - start;
            String latencyLog = System.getenv("LATENCY_LOG");
            if (latencyLog != null) {
                try (java.io.PrintWriter w = new java.io.PrintWriter(latencyLog)) {
                    for (int i = 0; i < done; i++) {
                        w.printf("%.1f %.1f%n", sentOffsets[i] / 1e6, latencies[i] / 1e6);
                    }
                }
            }
            long[] l = Arrays.copyOf(latencies, (int) done);
            Arrays.sort(l);
            System.out.printf("scored %d of %d events in %.2f s: %.0f events/s (%d lead.scored events)%n", done, events, elapsed / 1e9,
                    done / (elapsed / 1e9), scoredEvents.get());
            if (done > 0) {
                System.out.printf("latency event -> lead.scored: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        pct(l, 50), pct(l, 95), pct(l, 99), l[l.length - 1] / 1e6);
            }
        }
        System.exit(0);
    }

    /**
     * Sleeps (not spins: the generator shares the two cores with the service) until event i of a run paced
     * at {@code rate} events/s is due; rate 0 never waits.
     */
    private static void pace(long start, int i, int rate) {
        if (rate > 0) {
            long due = start + (long) (i * (1e9 / rate));
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static void send(KafkaProducer<String, String> producer, String topic, UUID lead, int i,
                             Map<UUID, ConcurrentLinkedQueue<Sent>> sentAt, Map<UUID, long[]> matchesSent, boolean timed) {
        String type = TYPES[i % TYPES.length];
        String url = "https://acme.io/" + (i % 5 == 0 ? "pricing" : "blog/" + i);
        int seconds = i % 90;
        String json = activity(lead, type, url, seconds);
        long[] cumulative = matchesSent.get(lead);
        cumulative[0] += ruleMatches(type, url, seconds);
        sentAt.get(lead).add(new Sent(System.nanoTime(), cumulative[0], timed));
        producer.send(new ProducerRecord<>(topic, lead.toString(), json));
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static String envelope(String type, UUID lead, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/bench\",\"type\":\"" + type
                + "\",\"time\":\"" + Instant.now() + "\",\"subject\":\"" + lead + "\",\"datacontenttype\":\"application/json\",\"data\":"
                + data + "}";
    }

    private static String captured(UUID lead) {
        return envelope("lead.captured", lead, "{\"leadId\":\"" + lead + "\",\"email\":\"bench-" + lead + "@acme.io\","
                + "\"company\":\"Acme\",\"jobTitle\":\"CMO\",\"country\":\"DE\",\"source\":\"form\",\"channel\":\"bench\","
                + "\"capturedAt\":\"" + Instant.now() + "\",\"utm\":{},\"consents\":[],\"fields\":{}}");
    }

    private static final String[] TYPES = {"page_view", "page_view", "page_view", "download", "email_open", "email_click", "webinar"};

    /**
     * How many engagement rules of the seeded default model (V2_1 migration) an activity of the bench
     * matches: page views match page-view, plus engaged-page-view from 60 s, plus pricing-page on /pricing;
     * downloads, webinars, human e-mail opens and clicks match their one rule.
     */
    private static int ruleMatches(String type, String url, int seconds) {
        if (!type.equals("page_view")) {
            return 1;
        }
        return 1 + (seconds >= 60 ? 1 : 0) + (url.contains("/pricing") ? 1 : 0);
    }

    private static String activity(UUID lead, String type, String url, int seconds) {
        return envelope("lead.activity", lead, "{\"leadId\":\"" + lead + "\",\"activityType\":\"" + type + "\",\"occurredAt\":\""
                + Instant.now() + "\",\"url\":\"" + url + "\",\"durationSeconds\":" + seconds + ",\"bot\":false}");
    }
}
