package io.leadplatform.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Reads and writes the real Kafka broker of the local stack (127.0.0.1:9092) from tests. */
public final class KafkaEvents implements AutoCloseable {

    public static final String BOOTSTRAP = System.getProperty("kafka.bootstrap.servers",
            System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    private KafkaEvents(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
    }

    /** A reader of the whole topic from its first record. */
    public static KafkaEvents read(String topic) {
        return new KafkaEvents(topic);
    }

    /** Polls until a record matching the predicate arrives or the timeout passes (then fails). */
    public ConsumerRecord<String, String> await(Predicate<ConsumerRecord<String, String>> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ConsumerRecord<String, String> r : seen) {
            if (match.test(r)) {
                return r;
            }
        }
        while (System.nanoTime() < deadline) {
            ConsumerRecord<String, String> found = null;
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r); // keep every record of the poll: a later await may look for one after the match
                if (found == null && match.test(r)) {
                    found = r;
                }
            }
            if (found != null) {
                return found;
            }
        }
        throw new AssertionError("no matching record within " + timeout + "; saw " + seen.size() + " records");
    }

    /** All records seen so far that match (after polling for the given time). */
    public List<ConsumerRecord<String, String>> collect(Predicate<ConsumerRecord<String, String>> match, Duration pollFor) {
        long deadline = System.nanoTime() + pollFor.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return seen.stream().filter(match).toList();
    }

    /** Sends one record with a key and waits for the broker's acknowledgement. */
    public static void send(String topic, String key, String value) {
        send(topic, key, value, java.util.Map.of());
    }

    /** Sends one record with a key and extra headers (e.g. {@code traceparent}) and waits for the acknowledgement. */
    public static void send(String topic, String key, String value, java.util.Map<String, String> headers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            // the headers the platform's outbox relay sets (KafkaEventSender), so tests see what production sends
            String type = value.replaceAll("(?s).*?\"type\"\s*:\s*\"([^\"]+)\".*", "$1");
            record.headers().add("event_type", type.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            headers.forEach((name, v) -> record.headers().add(name, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            producer.send(record).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** The values of a header of a record (e.g. {@code traceparent}), in order; empty when it has none. */
    public static List<String> headerValues(ConsumerRecord<String, String> record, String header) {
        List<String> values = new ArrayList<>();
        record.headers().headers(header)
                .forEach(h -> values.add(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
        return values;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
