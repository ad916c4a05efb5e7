import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

/**
 * Writes a backlog of schema-shaped CloudEvents for kpi-service onto RUN.capture.events, RUN.scoring.events and
 * RUN.nurturing.events (key = lead id), spread over 2025.
 * Usage: java -cp kafka-clients.jar:slf4j-api.jar bench/kpi/KpiBench.java RUN LEADS MODE
 *   MODE captured: one lead.captured per lead (what the old one-event-per-transaction consumer handled)
 *   MODE mixed: per lead a capture, 4 page views (1 session start), 3 e-mail events, 30 % an MQL stage change
 * Prints how many events it wrote per topic.
 */
public class KpiBench {
    public static void main(String[] args) throws Exception {
        String run = args[0];
        int leads = Integer.parseInt(args[1]);
        boolean mixed = args[2].equals("mixed");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262144);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        Random rnd = new Random(7);
        String[] channels = {"organic_search", "paid", "social", "email", "referral", "partner", "direct"};
        long capture = 0, scoring = 0, nurturing = 0;
        Instant year = Instant.parse("2025-01-01T00:00:00Z");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < leads; i++) {
                String lead = UUID.randomUUID().toString();
                Instant at = year.plus(rnd.nextInt(365 * 24 * 60), ChronoUnit.MINUTES);
                String ch = channels[rnd.nextInt(channels.length)];
                String campaign = "campaign-" + rnd.nextInt(12);
                boolean webhook = rnd.nextInt(5) == 0;
                String data = "{\"leadId\":\"" + lead + "\",\"email\":\"b" + i + "@bench.example\",\"source\":\"" + (webhook ? "webhook" : "form")
                        + "\",\"sourceRef\":\"" + (webhook ? "partner-" + rnd.nextInt(4) : "contact") + "\",\"channel\":\"" + ch
                        + "\",\"campaign\":\"" + campaign + "\",\"capturedAt\":\"" + at + "\",\"status\":\"active\",\"utm\":{},"
                        + "\"consents\":[{\"purpose\":\"newsletter\",\"granted\":" + rnd.nextBoolean() + "}]}";
                producer.send(new ProducerRecord<>(run + ".capture.events", lead, event("lead.captured", lead, at, data)));
                capture++;
                if (!mixed) {
                    continue;
                }
                String visitor = "v" + rnd.nextInt(leads * 3);
                for (int v = 0; v < 4; v++) {
                    Instant t = at.minus(10 - v, ChronoUnit.MINUTES);
                    String pv = "{\"visitorId\":\"" + visitor + "\",\"sessionId\":\"s" + i + "\",\"leadId\":\"" + lead + "\",\"occurredAt\":\"" + t
                            + "\",\"path\":\"/p" + v + "\",\"channel\":\"" + ch + "\",\"utm\":{\"campaign\":\"" + campaign + "\"},\"durationSeconds\":"
                            + rnd.nextInt(120) + ",\"sessionStart\":" + (v == 0) + "}";
                    producer.send(new ProducerRecord<>(run + ".capture.events", lead, event("website.activity", lead, t, pv)));
                    capture++;
                }
                String[] kinds = {"sent", "delivered", "opened"};
                for (int e = 0; e < kinds.length; e++) {
                    Instant t = at.plus(1 + e, ChronoUnit.HOURS);
                    String em = "{\"leadId\":\"" + lead + "\",\"emailId\":\"e" + i + "\",\"sequenceId\":\"sequence-" + (i % 10) + "\",\"stepId\":\"step-1\","
                            + "\"kind\":\"" + kinds[e] + "\",\"bot\":false," + (e == 2 ? "\"classification\":\"human\"," : "") + "\"occurredAt\":\"" + t + "\"}";
                    producer.send(new ProducerRecord<>(run + ".nurturing.events", lead, event("email.event", lead, t, em)));
                    nurturing++;
                }
                if (rnd.nextInt(10) < 3) {
                    Instant t = at.plus(2, ChronoUnit.DAYS);
                    String st = "{\"leadId\":\"" + lead + "\",\"from\":\"LEAD\",\"to\":\"MQL\",\"reason\":\"score\",\"actor\":\"system\",\"changedAt\":\"" + t + "\"}";
                    producer.send(new ProducerRecord<>(run + ".scoring.events", lead, event("lead.stage-changed", lead, t, st)));
                    scoring++;
                }
            }
        }
        System.out.println(capture + scoring + nurturing + " events: capture " + capture + ", scoring " + scoring + ", nurturing " + nurturing);
    }

    private static String event(String type, String subject, Instant time, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/bench\",\"type\":\"" + type + "\",\"time\":\"" + time
                + "\",\"subject\":\"" + subject + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }
}
