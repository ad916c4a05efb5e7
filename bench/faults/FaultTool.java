import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Helpers of bench/faults/run.sh (compiled once per run against the Kafka jars of the local stack):
 * <ul>
 *   <li>{@code load}: posts form submissions at a fixed rate, a unique e-mail each, round robin over gateway URLs;
 *       records every answer (status, problem or not, stack-trace-like body, latency, no answer within the timeout)
 *       and the e-mails of accepted (202) submissions; optionally probes an authenticated GET once a second;</li>
 *   <li>{@code watch}: polls consumer groups and writes one line per assignment change (for failover times);</li>
 *   <li>{@code replay}: reads a topic from the beginning to its current end and produces every record again,
 *       same key, value and headers (a duplicate delivery storm);</li>
 *   <li>{@code lag}: the total lag of consumer groups;</li>
 *   <li>{@code mails}: counts the messages a GreenMail server holds for each address of a list (its REST API),
 *       for the e-mails of a scenario: received, addresses mailed, duplicates and addresses never mailed;</li>
 *   <li>{@code scored}: reads a topic from the beginning to its current end and writes, per lead, how many distinct
 *       {@code lead.scored} events (CloudEvent ids) carry a given model version and how many records carried them
 *       (the rescore scenario: a lead rescored twice has two event ids, a record the relay sent again has one).</li>
 * </ul>
 */
public class FaultTool {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args[0]) {
            case "load" -> load(opts);
            case "watch" -> watch(opts);
            case "replay" -> replay(opts);
            case "lag" -> lag(opts);
            case "mails" -> mails(opts);
            case "scored" -> scored(opts);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    // ------------------------------------------------------------------------------------------ load

    record Answer(long sentAtMs, int status, boolean problem, boolean stackTrace, long latencyMs, String email) {
    }

    static void load(Map<String, String> o) throws Exception {
        List<String> urls = List.of(o.get("urls").split(","));
        double rate = Double.parseDouble(o.get("rate"));
        double seconds = Double.parseDouble(o.get("seconds"));
        String tag = o.get("tag");
        Path out = Path.of(o.get("out"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout", "10")));
        String probeUrl = o.get("probe");
        String probeToken = o.containsKey("probe-token-file") ? Files.readString(Path.of(o.get("probe-token-file"))).trim() : null;
        Files.createDirectories(out);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Answer> probes = new ConcurrentLinkedQueue<>();
        Map<String, String> sampleBodies = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long total = Math.round(rate * seconds);
        long start = System.nanoTime();
        long startMs = System.currentTimeMillis();
        long nextProbe = 0;
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * 1_000_000_000L / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String email = tag + "-" + i + "@faults.example.com";
            String body = "{\"email\":\"" + email + "\",\"firstName\":\"F\",\"company\":\"Faults Co\",\"jobTitle\":\"CTO\","
                    + "\"utm\":{\"source\":\"faults\"},"
                    + "\"consents\":[{\"purpose\":\"marketing_email\",\"granted\":true,\"textVersion\":\"v1\"}]}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get((int) (i % urls.size()))))
                    .timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            pending.add(send(http, request, email, answers, sampleBodies));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            if (probeUrl != null && elapsedMs >= nextProbe) {
                nextProbe = elapsedMs + 1000;
                HttpRequest probe = HttpRequest.newBuilder(URI.create(probeUrl)).timeout(timeout)
                        .header("Authorization", "Bearer " + probeToken).GET().build();
                pending.add(send(http, probe, null, probes, sampleBodies));
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);

        try (PrintWriter accepted = new PrintWriter(Files.newBufferedWriter(out.resolve("accepted.txt")))) {
            answers.stream().filter(a -> a.status() == 202).forEach(a -> accepted.println(a.email()));
        }
        try (PrintWriter summary = new PrintWriter(Files.newBufferedWriter(out.resolve("load.properties")))) {
            summarize(summary, "", answers, startMs);
            summarize(summary, "probe.", probes, startMs);
            summary.println("elapsed.s=" + (System.nanoTime() - start) / 1_000_000_000L);
        }
        try (PrintWriter samples = new PrintWriter(Files.newBufferedWriter(out.resolve("samples.txt")))) {
            sampleBodies.forEach((k, v) -> samples.println(k + " -> " + v));
        }
    }

    static CompletableFuture<?> send(HttpClient http, HttpRequest request, String email, Collection<Answer> answers,
                                     Map<String, String> samples) {
        long sent = System.currentTimeMillis();
        long t0 = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            long latency = (System.nanoTime() - t0) / 1_000_000;
            if (error != null) {
                // no answer in time (-1) or no connection (-2)
                int code = error instanceof java.net.http.HttpTimeoutException
                        || error.getCause() instanceof java.net.http.HttpTimeoutException ? -1 : -2;
                samples.putIfAbsent(String.valueOf(code), error.toString());
                answers.add(new Answer(sent, code, false, false, latency, email));
                return null;
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            String body = response.body();
            boolean problem = type.startsWith("application/problem+json");
            boolean stack = body.contains("\tat ") || body.contains("Exception:") || body.matches("(?s).*at [a-z]+\\.[a-zA-Z.$]+\\(.*");
            if (response.statusCode() != 202) {
                samples.putIfAbsent(response.statusCode() + " " + type, body.length() > 400 ? body.substring(0, 400) : body);
            }
            answers.add(new Answer(sent, response.statusCode(), problem, stack, latency, email));
            return null;
        });
    }

    static void summarize(PrintWriter w, String prefix, Collection<Answer> answers, long startMs) {
        w.println(prefix + "sent=" + answers.size());
        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
        byStatus.forEach((status, n) -> w.println(prefix + "status." + status + "=" + n));
        w.println(prefix + "accepted=" + (byStatus.getOrDefault(202, 0L) + byStatus.getOrDefault(200, 0L)));
        w.println(prefix + "timeouts=" + byStatus.getOrDefault(-1, 0L));
        w.println(prefix + "status500=" + answers.stream().filter(a -> a.status() == 500).count());
        w.println(prefix + "errorsNotProblem=" + answers.stream().filter(a -> a.status() >= 400 && !a.problem()).count());
        w.println(prefix + "stackTraces=" + answers.stream().filter(Answer::stackTrace).count());
        w.println(prefix + "status503=" + byStatus.getOrDefault(503, 0L));
        w.println(prefix + "maxLatency.ms=" + answers.stream().mapToLong(Answer::latencyMs).max().orElse(0));
        List<Answer> failed = answers.stream().filter(a -> a.status() != 202 && a.status() != 200).sorted((a, b) -> Long.compare(a.sentAtMs(), b.sentAtMs())).toList();
        List<Answer> unanswered = failed.stream().filter(a -> a.status() == -1).toList();
        if (!unanswered.isEmpty()) {
            w.println(prefix + "firstTimeout.s=" + (unanswered.get(0).sentAtMs() - startMs) / 1000.0);
            w.println(prefix + "lastTimeout.s=" + (unanswered.get(unanswered.size() - 1).sentAtMs() - startMs) / 1000.0);
        }
        if (!failed.isEmpty()) {
            w.println(prefix + "firstFailure.s=" + (failed.get(0).sentAtMs() - startMs) / 1000.0);
            w.println(prefix + "lastFailure.s=" + (failed.get(failed.size() - 1).sentAtMs() - startMs) / 1000.0);
        }
    }

    // ------------------------------------------------------------------------------------------ watch

    /** One line per change: epoch ms, group, state, then member(client id)=partitions of each member. */
    static void watch(Map<String, String> o) throws Exception {
        List<String> groups = List.of(o.get("groups").split(","));
        Path out = Path.of(o.get("out"));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.get("bootstrap"));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        Map<String, String> last = new HashMap<>();
        try (Admin admin = Admin.create(p); PrintWriter w = new PrintWriter(Files.newBufferedWriter(out), true)) {
            while (true) {
                try {
                    Map<String, ConsumerGroupDescription> all = admin.describeConsumerGroups(groups).all().get(3, TimeUnit.SECONDS);
                    for (String g : groups) {
                        String line = describe(all.get(g));
                        if (!line.equals(last.get(g))) {
                            last.put(g, line);
                            w.println(System.currentTimeMillis() + " " + g + " " + line);
                        }
                    }
                } catch (Exception e) {
                    String line = "unreachable";
                    for (String g : groups) {
                        if (!line.equals(last.get(g))) {
                            last.put(g, line);
                            w.println(System.currentTimeMillis() + " " + g + " " + line);
                        }
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    static String describe(ConsumerGroupDescription d) {
        List<String> members = new ArrayList<>();
        for (MemberDescription m : d.members()) {
            String parts = m.assignment().topicPartitions().stream()
                    .map(tp -> tp.topic() + ":" + tp.partition()).sorted().collect(Collectors.joining(","));
            members.add(m.clientId() + "=" + (parts.isEmpty() ? "-" : parts));
        }
        members.sort(String::compareTo);
        return d.groupState() + " " + String.join(" ", members);
    }

    // ------------------------------------------------------------------------------------------ replay

    static void replay(Map<String, String> o) throws Exception {
        String topic = o.get("topic");
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.get("bootstrap"));
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long copied;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
            copied = readToEnd(o.get("bootstrap"), topic,
                    r -> producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value(), r.headers())));
            producer.flush();
        }
        System.out.println(copied);
    }

    /**
     * Reads every record of {@code topic} from its beginning up to the end offsets taken at the start (records
     * written meanwhile are left alone) and hands each to {@code each}; answers how many it read.
     */
    private static long readToEnd(String bootstrap, String topic,
                                  java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> remaining = new HashMap<>(end);
            remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= end.get(tp)) {
                        continue;
                    }
                    read++;
                    if (r.offset() + 1 >= end.get(tp)) {
                        remaining.remove(tp);
                    }
                    each.accept(r);
                }
            }
        }
        return read;
    }

    // ------------------------------------------------------------------------------------------ lag

    /** Prints the total lag (end offset minus committed offset, all partitions of all topics) of the groups. */
    static void lag(Map<String, String> o) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.get("bootstrap"));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        long total = 0;
        try (Admin admin = Admin.create(p)) {
            for (String g : o.get("groups").split(",")) {
                Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(g).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
                for (String topic : o.get("topics").split(",")) {
                    for (var info : admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()) {
                        latest.put(new TopicPartition(topic, info.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest());
                    }
                }
                var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                for (var e : ends.entrySet()) {
                    var c = committed.get(e.getKey());
                    total += e.getValue().offset() - (c == null ? 0 : c.offset());
                }
            }
        }
        System.out.println(total);
    }

    // ------------------------------------------------------------------------------------------ mails

    /**
     * For every address of the file (one a line), how many messages GreenMail holds (GET /api/user/{address}/messages/,
     * 8 requests in flight). Prints received, mailed (addresses with at least one message), duplicates (messages beyond
     * the first per address) and lost (addresses without a message), one {@code key=value} a line.
     */
    static void mails(Map<String, String> o) throws Exception {
        String api = o.get("api").replaceAll("/+$", "");
        List<String> addresses = Files.readAllLines(Path.of(o.get("addresses"))).stream().map(String::trim)
                .filter(a -> !a.isEmpty()).distinct().toList();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8);
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (String address : addresses) {
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/user/"
                    + java.net.URLEncoder.encode(address, java.nio.charset.StandardCharsets.UTF_8) + "/messages/"))
                    .timeout(Duration.ofSeconds(60)).GET().build();
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                try {
                    if (error != null) {
                        throw new IllegalStateException("GreenMail did not answer for " + address, error);
                    }
                    if (response.statusCode() == 200) {
                        // a JSON array of messages: each one has exactly one "Message-ID" field
                        int n = response.body().split("\"Message-ID\"", -1).length - 1;
                        counts.put(address, n);
                    } else if (response.statusCode() == 400 || response.statusCode() == 404) {
                        counts.put(address, 0); // GreenMail: "User ... not found": never received anything
                    } else {
                        throw new IllegalStateException("GreenMail answered " + response.statusCode() + " for " + address);
                    }
                    return null;
                } finally {
                    inFlight.release();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        long received = counts.values().stream().mapToLong(Integer::longValue).sum();
        long mailed = counts.values().stream().filter(n -> n > 0).count();
        long duplicates = counts.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        System.out.println("received=" + received);
        System.out.println("mailed=" + mailed);
        System.out.println("duplicates=" + duplicates);
        System.out.println("lost=" + (addresses.size() - mailed));
    }

    // ------------------------------------------------------------------------------------------ scored

    private static final java.util.regex.Pattern EVENT_ID = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final java.util.regex.Pattern LEAD_ID = java.util.regex.Pattern.compile("\"leadId\"\\s*:\\s*\"([^\"]+)\"");
    private static final java.util.regex.Pattern MODEL_VERSION = java.util.regex.Pattern.compile("\"modelVersion\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * Reads {@code topic} from the beginning to its end offsets (taken at the start) and writes {@code out} as CSV
     * {@code lead_id,events,records}: for each lead, the distinct CloudEvent ids of its {@code lead.scored} events whose
     * {@code data.modelVersion} is {@code model-version}, and the records that carried them. Prints the records read.
     */
    static void scored(Map<String, String> o) throws Exception {
        String version = o.get("model-version");
        Map<String, java.util.Set<String>> ids = new HashMap<>();
        Map<String, Integer> records = new HashMap<>();
        long read = readToEnd(o.get("bootstrap"), o.get("topic"), r -> {
            var type = r.headers().lastHeader("event_type");
            if (type == null || !"lead.scored".equals(new String(type.value(), java.nio.charset.StandardCharsets.UTF_8))) {
                return;
            }
            String value = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
            var model = MODEL_VERSION.matcher(value);
            if (!model.find() || !version.equals(model.group(1))) {
                return;
            }
            var id = EVENT_ID.matcher(value);
            var lead = LEAD_ID.matcher(value);
            if (!id.find() || !lead.find()) {
                throw new IllegalStateException("lead.scored without id or leadId at " + r.topic() + "-" + r.partition()
                        + "@" + r.offset());
            }
            ids.computeIfAbsent(lead.group(1), k -> new java.util.HashSet<>()).add(id.group(1));
            records.merge(lead.group(1), 1, Integer::sum);
        });
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(o.get("out"))))) {
            ids.forEach((lead, set) -> w.println(lead + "," + set.size() + "," + records.get(lead)));
        }
        System.out.println(read);
    }
}
