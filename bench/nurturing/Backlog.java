import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Properties;
import java.util.UUID;

/** Backlog for bench/nurturing/backlog.sh: per fresh lead one lead.captured (capture topic) and one lead.stage-changed (scoring topic). */
public class Backlog {
    public static void main(String[] args) {
        String captureTopic = args[0], scoringTopic = args[1];
        int leads = Integer.parseInt(args[2]);
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:9092");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("linger.ms", "20");
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < leads; i++) {
                String lead = UUID.randomUUID().toString();
                String now = Instant.now().toString();
                producer.send(new ProducerRecord<>(captureTopic, lead, envelope("lead.captured", lead, "/capture-service", now,
                        "{\"leadId\":\"" + lead + "\",\"email\":\"b-" + lead + "@bench.local\",\"firstName\":\"Ann\",\"company\":\"Acme\",\"country\":\"DE\","
                                + "\"source\":\"form\",\"sourceRef\":\"bench\",\"channel\":\"website\",\"capturedAt\":\"" + now + "\",\"status\":\"new\",\"utm\":{},"
                                + "\"consents\":[{\"purpose\":\"newsletter\",\"granted\":true,\"textVersion\":\"v1\"}],\"fields\":{}}")));
                producer.send(new ProducerRecord<>(scoringTopic, lead, envelope("lead.stage-changed", lead, "/scoring-service", now,
                        "{\"leadId\":\"" + lead + "\",\"from\":null,\"to\":\"MQL\",\"reason\":\"bench\",\"actor\":\"system\",\"changedAt\":\"" + now + "\"}")));
            }
            producer.flush();
        }
        System.out.println("produced " + 2 * leads + " events");
    }

    static String envelope(String type, String lead, String source, String time, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"" + source + "\",\"type\":\"" + type
                + "\",\"time\":\"" + time + "\",\"subject\":\"" + lead + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }
}
