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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for scoring-service: captures L leads, then pushes N lead.activity events (round
 * robin over the leads, optionally paced to R events/s) into the input topic and reads lead.scored
 * from the output topic. One activity yields exactly one lead.scored for its lead, so the k-th
 * lead.scored of a lead after its capture answers its k-th activity: latency = receive time of that
 * record − send time of the activity.
 *
 * java -cp kafka-clients.jar:slf4j-api.jar ScoringBench.java IN_TOPIC OUT_TOPIC LEADS EVENTS RATE(0 = as fast as possible)
 */
public class ScoringBench {

    private static final Pattern SUBJECT = Pattern.compile("\"subject\":\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String in = args[0];
        String out = args[1];
        int leads = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);

        List<UUID> leadIds = new ArrayList<>();
        for (int i = 0; i < leads; i++) {
            leadIds.add(UUID.randomUUID());
        }
        Map<UUID, ConcurrentLinkedQueue<Long>> sentAt = new ConcurrentHashMap<>();
        Map<UUID, AtomicLong> capturedSeen = new ConcurrentHashMap<>();
        leadIds.forEach(id -> {
            sentAt.put(id, new ConcurrentLinkedQueue<>());
            capturedSeen.put(id, new AtomicLong());
        });
        long[] latencies = new long[events];
        AtomicLong scored = new AtomicLong();
        AtomicLong firstScoredNanos = new AtomicLong();
        AtomicLong lastScoredNanos = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicLong initialScores = new AtomicLong();

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
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (!r.value().contains("\"type\":\"lead.scored\"")) {
                        continue;
                    }
                    Matcher m = SUBJECT.matcher(r.value());
                    if (!m.find()) {
                        continue;
                    }
                    UUID lead = UUID.fromString(m.group(1));
                    ConcurrentLinkedQueue<Long> q = sentAt.get(lead);
                    if (q == null) {
                        continue;
                    }
                    if (!measuring.get()) {
                        initialScores.incrementAndGet();
                        continue;
                    }
                    Long sent = q.poll();
                    if (sent == null) {
                        continue;
                    }
                    long n = scored.getAndIncrement();
                    if (n < events) {
                        latencies[(int) n] = now - sent;
                    }
                    firstScoredNanos.compareAndSet(0, now);
                    lastScoredNanos.set(now);
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
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            for (UUID id : leadIds) {
                producer.send(new ProducerRecord<>(in, id.toString(), captured(id)));
            }
            producer.flush();
            long waitUntil = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (initialScores.get() < leads && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            System.out.printf("captured %d leads (%d initial scores seen)%n", leads, initialScores.get());
            measuring.set(true);

            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                UUID lead = leadIds.get(i % leads);
                if (rate > 0) {
                    long due = start + (long) (i * (1e9 / rate));
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                String json = activity(lead, i);
                sentAt.get(lead).add(System.nanoTime());
                producer.send(new ProducerRecord<>(in, lead.toString(), json));
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
            long[] l = Arrays.copyOf(latencies, (int) done);
            Arrays.sort(l);
            System.out.printf("scored %d of %d events in %.2f s: %.0f events/s%n", done, events, elapsed / 1e9, done / (elapsed / 1e9));
            if (done > 0) {
                System.out.printf("latency event -> lead.scored: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        pct(l, 50), pct(l, 95), pct(l, 99), l[l.length - 1] / 1e6);
            }
        }
        System.exit(0);
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

    private static String activity(UUID lead, int i) {
        String type = TYPES[i % TYPES.length];
        return envelope("lead.activity", lead, "{\"leadId\":\"" + lead + "\",\"activityType\":\"" + type + "\",\"occurredAt\":\""
                + Instant.now() + "\",\"url\":\"https://acme.io/" + (i % 5 == 0 ? "pricing" : "blog/" + i) + "\",\"durationSeconds\":"
                + (i % 90) + ",\"bot\":false}");
    }
}
