import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Demo data for the dashboard's picture (docs/dashboard.png), on a suite of your own: forms, leads, costs and
 * website visits through the gateway (the real capture and kpi paths), then what scoring and nurturing would
 * say about those leads (stage changes, won deals, e-mail events) written straight to the scoring and
 * nurturing topics kpi-service reads. Not a test; run it only against topics and databases of your own.
 *
 * usage (see run-demo.sh): java -cp "kafka-clients.jar:slf4j-api.jar" DemoData.java GATEWAY SCORING_TOPIC NURTURING_TOPIC
 */
public class DemoData {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Random RANDOM = new Random(42);
    static String gateway;
    static String token;

    record Campaign(String form, String channel, String campaign, double cost, int leads) {
    }

    public static void main(String[] args) throws Exception {
        gateway = args[0];
        String scoringTopic = args[1], nurturingTopic = args[2];
        String keycloak = System.getenv().getOrDefault("KEYCLOAK_URL", "http://127.0.0.1:8180");
        token = json(post(keycloak + "/realms/leads/protocol/openid-connect/token", "application/x-www-form-urlencoded",
                "grant_type=password&client_id=leads-web&username=marketing&password=marketing", null), "access_token");
        String run = UUID.randomUUID().toString().substring(0, 6);
        Instant now = Instant.now();
        String today = now.toString().substring(0, 10), monthAgo = now.minus(29, ChronoUnit.DAYS).toString().substring(0, 10);

        List<Campaign> campaigns = List.of(
                new Campaign("demo-search-" + run, "paid-search", "spring-sale", 1800, 24),
                new Campaign("demo-social-" + run, "social", "launch-video", 900, 15),
                new Campaign("demo-newsletter-" + run, "email", "december-news", 240, 12),
                new Campaign("demo-webinar-" + run, "events", "webinar-ai", 1200, 9));
        List<String[]> leads = new ArrayList<>(); // {id, channel, campaign}
        for (Campaign c : campaigns) {
            check(post(gateway + "/api/capture/forms", "application/json", """
                    {"key":"%s","name":"Demo %s","channel":"%s","campaign":"%s","fields":[{"name":"email","type":"email","required":true}]}"""
                    .formatted(c.form(), c.campaign(), c.channel(), c.campaign()), token), 201);
            check(post(gateway + "/api/kpi/costs", "application/json", """
                    {"channel":"%s","campaign":"%s","from":"%s","to":"%s","amount":%s,"currency":"EUR"}"""
                    .formatted(c.channel(), c.campaign(), monthAgo, today, c.cost()), token), 201);
            for (int i = 0; i < c.leads(); i++) {
                String email = "demo-" + run + "-" + c.channel() + "-" + i + "@example.com";
                check(post(gateway + "/api/capture/forms/" + c.form() + "/submissions", "application/json",
                        "{\"email\":\"%s\",\"timeZone\":\"Europe/Berlin\"}".formatted(email), null), 202);
                leads.add(new String[]{null, c.channel(), c.campaign(), email});
            }
        }
        for (int i = 0; i < 8; i++) {
            String email = "demo-" + run + "-contact-" + i + "@example.com";
            check(post(gateway + "/api/capture/forms/contact/submissions", "application/json", "{\"email\":\"%s\"}".formatted(email), null), 202);
            leads.add(new String[]{null, "website", "", email});
        }

        // visits of the last 30 days: referrers and campaigns of every channel
        String[][] landings = {
                {"www.google.com", null, null}, {"www.google.com", "google|cpc|spring-sale", "gclid"}, {"l.facebook.com", null, null},
                {"www.linkedin.com", "linkedin|social|launch-video", null}, {null, "newsletter|email|december-news", null},
                {"news.example.org", null, null}, {null, null, null}, {"duckduckgo.com", null, null}};
        StringBuilder batch = new StringBuilder();
        int events = 0;
        for (int v = 0; v < 260; v++) {
            String visitor = UUID.randomUUID().toString();
            Instant start = now.minus(RANDOM.nextInt(29 * 24 * 60), ChronoUnit.MINUTES);
            String[] landing = landings[RANDOM.nextInt(landings.length)];
            int pages = 1 + RANDOM.nextInt(5);
            for (int p = 0; p < pages; p++) {
                StringBuilder e = new StringBuilder("{\"visitorId\":\"%s\",\"type\":\"page_view\",\"url\":\"https://shop.example/p%d\",\"durationSeconds\":%d,\"occurredAt\":\"%s\",\"sessionId\":\"%s\",\"sessionStart\":%s"
                        .formatted(visitor, p, 10 + RANDOM.nextInt(170), start.plusSeconds(60L * p), "demo-" + visitor, p == 0));
                if (landing[0] != null) e.append(",\"referrer\":\"").append(landing[0]).append('"');
                if (landing[1] != null) {
                    String[] u = landing[1].split("\\|");
                    e.append(",\"utm\":{\"source\":\"%s\",\"medium\":\"%s\",\"campaign\":\"%s\"}".formatted(u[0], u[1], u[2]));
                }
                if (landing[2] != null) e.append(",\"clickId\":\"").append(landing[2]).append('"');
                batch.append(batch.isEmpty() ? "" : ",").append(e).append('}');
                if (++events % 100 == 0) {
                    check(post(gateway + "/api/capture/track", "application/json", "{\"events\":[" + batch + "]}", null), 202);
                    batch.setLength(0);
                }
            }
        }
        if (!batch.isEmpty()) check(post(gateway + "/api/capture/track", "application/json", "{\"events\":[" + batch + "]}", null), 202);

        for (String[] lead : leads) {
            String found = get(gateway + "/api/capture/leads?email=" + URLEncoder.encode(lead[3], StandardCharsets.UTF_8));
            Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(found);
            if (!m.find()) throw new IllegalStateException("no lead " + lead[3] + ": " + found);
            lead[0] = m.group(1);
        }

        Properties props = new Properties();
        props.put("bootstrap.servers", System.getenv().getOrDefault("KAFKA", "127.0.0.1:9092"));
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> kafka = new KafkaProducer<>(props)) {
            String[] path = {"LEAD", "MQL", "SQL", "OPPORTUNITY", "CUSTOMER"};
            for (String[] lead : leads) {
                double r = RANDOM.nextDouble();
                int reached = r < 0.45 ? 0 : r < 0.7 ? 1 : r < 0.82 ? 2 : r < 0.9 ? 3 : 4;
                Instant at = now.minus(5, ChronoUnit.MINUTES);
                for (int s = 1; s <= reached; s++) {
                    at = at.plusSeconds(20L + RANDOM.nextInt(40));
                    send(kafka, scoringTopic, lead[0], "lead.stage-changed", """
                            {"leadId":"%s","from":"%s","to":"%s","reason":"demo","actor":"system","channel":"%s","changedAt":"%s"}"""
                            .formatted(lead[0], path[s - 1], path[s], lead[1], at));
                }
                if (reached == 0 && RANDOM.nextDouble() < 0.2) {
                    send(kafka, scoringTopic, lead[0], "lead.stage-changed", """
                            {"leadId":"%s","from":"LEAD","to":"DISQUALIFIED","reason":"demo: no budget","actor":"sales","channel":"%s","changedAt":"%s"}"""
                            .formatted(lead[0], lead[1], at.plusSeconds(30)));
                }
                if (reached == 4) {
                    int revenue = 2000 + RANDOM.nextInt(6000);
                    send(kafka, scoringTopic, lead[0], "deal.closed", """
                            {"leadId":"%s","dealId":"%s","outcome":"won","revenue":%d,"grossMargin":%d,"currency":"EUR","channel":"%s","campaign":"%s","closedAt":"%s"}"""
                            .formatted(lead[0], UUID.randomUUID(), revenue, revenue * 45 / 100, lead[1], lead[2], at.plusSeconds(10)));
                }
                // the welcome sequence: two steps
                for (int step = 1; step <= 2; step++) {
                    String emailId = UUID.randomUUID().toString();
                    Instant sent = now.minus(4 - step, ChronoUnit.MINUTES);
                    email(kafka, nurturingTopic, lead[0], emailId, step, "sent", "human", sent);
                    if (RANDOM.nextDouble() < 0.04) {
                        email(kafka, nurturingTopic, lead[0], emailId, step, "bounced", "human", sent.plusSeconds(2));
                        continue;
                    }
                    email(kafka, nurturingTopic, lead[0], emailId, step, "delivered", "human", sent.plusSeconds(1));
                    double o = RANDOM.nextDouble();
                    if (o < 0.15) email(kafka, nurturingTopic, lead[0], emailId, step, "opened", "proxy", sent.plusSeconds(3));
                    else if (o < 0.55) email(kafka, nurturingTopic, lead[0], emailId, step, "opened", "human", sent.plusSeconds(40));
                    if (RANDOM.nextDouble() < 0.08) email(kafka, nurturingTopic, lead[0], emailId, step, "clicked", "bot", sent.plusSeconds(2));
                    if (o >= 0.15 && o < 0.3) email(kafka, nurturingTopic, lead[0], emailId, step, "clicked", "human", sent.plusSeconds(60));
                    if (RANDOM.nextDouble() < 0.03) email(kafka, nurturingTopic, lead[0], emailId, step, "unsubscribed", "human", sent.plusSeconds(90));
                }
            }
        }
        System.out.println("demo data: " + leads.size() + " leads, " + events + " page views, 4 campaign costs");
    }

    static void email(KafkaProducer<String, String> kafka, String topic, String leadId, String emailId, int step, String kind,
                      String classification, Instant at) {
        send(kafka, topic, leadId, "email.event", """
                {"leadId":"%s","emailId":"%s","sequenceId":"welcome","stepId":"step-%d","templateId":"welcome-%d","kind":"%s","bot":%s,"classification":"%s","occurredAt":"%s"%s}"""
                .formatted(leadId, emailId, step, step, kind, !"human".equals(classification), classification, at,
                        "bounced".equals(kind) ? ",\"bounceType\":\"hard\"" : ""));
    }

    static void send(KafkaProducer<String, String> kafka, String topic, String key, String type, String data) {
        String event = """
                {"specversion":"1.0","id":"%s","source":"/demo-data","type":"%s","time":"%s","subject":"%s","datacontenttype":"application/json","data":%s}"""
                .formatted(UUID.randomUUID(), type, Instant.now(), key, data);
        kafka.send(new ProducerRecord<>(topic, key, event));
    }

    static HttpResponse<String> post(String url, String type, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static void check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    static String json(HttpResponse<String> response, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]+)\"").matcher(response.body());
        if (!m.find()) throw new IllegalStateException(response.body());
        return m.group(1);
    }
}
