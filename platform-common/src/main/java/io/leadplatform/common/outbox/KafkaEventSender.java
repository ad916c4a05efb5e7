package io.leadplatform.common.outbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import io.smallrye.common.annotation.Identifier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The Kafka producer behind the outbox relay: idempotent, acks=all, bounded timeouts so a broker
 * outage fails a relay round quickly (the events stay in the outbox and go out later).
 * Connection security comes from the same {@code kafka.*} configuration as the messaging channels
 * ({@code kafka.security.protocol}, {@code kafka.ssl.*}, {@code kafka.sasl.*}, also as KAFKA_* environment
 * variables), so a TLS or authenticated broker (k8s/overlays/prod) serves the outbox too.
 */
@ApplicationScoped
public class KafkaEventSender {

    private final String bootstrapServers;
    private final Properties security = new Properties();
    private volatile KafkaProducer<String, String> producer;

    public KafkaEventSender(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.bootstrapServers = bootstrapServers;
        kafkaConfig.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("ssl.") || key.startsWith("sasl.")) {
                security.put(key, value);
            }
        });
    }

    /** Sends the records in order and completes when the broker acknowledged all of them. */
    public Uni<Void> sendAll(List<ProducerRecord<String, String>> records) {
        return Uni.createFrom().item(() -> {
                    KafkaProducer<String, String> p = producer();
                    CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
                    for (int i = 0; i < records.size(); i++) {
                        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
                        p.send(records.get(i), (meta, error) -> {
                            if (error != null) {
                                ack.completeExceptionally(error);
                            } else {
                                ack.complete(meta);
                            }
                        });
                        acks[i] = ack;
                    }
                    return CompletableFuture.allOf(acks);
                })
                // KafkaProducer#send may block while it fetches metadata: never on the event loop
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(all -> Uni.createFrom().completionStage(all))
                .replaceWithVoid();
    }

    public static ProducerRecord<String, String> record(String topic, String key, String eventType, String payload) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payload);
        // the value is the whole CloudEvent as JSON text; the type header only lets tools filter without parsing.
        // No content-type header: SmallRye would then parse the value into a CloudEvent object for consumers.
        record.headers().add(new RecordHeader("event_type", eventType.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.putAll(security);
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
                    producer = new KafkaProducer<>(props);
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
