package io.leadplatform.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Public submissions are group-committed: many arrive at once, are written together, and each still
 * behaves as if it had been alone (one lead per e-mail, a repeated e-mail updates its lead, visitor
 * activity linked and emitted, every event once and valid).
 */
@QuarkusTest
class GroupCommitTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @TestHTTPResource("/api/capture/forms/contact/submissions")
    URI submissions;

    @Test
    void concurrentSubmissionsAreBatchedAndEachKeepsItsOwnOutcome() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // two visitors browsed before they submit: their page views must follow them into their leads
        Map<String, String> visitorOf = new HashMap<>();
        List<String> bodies = new ArrayList<>();
        List<String> distinct = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String email = "batch-" + run + "-" + i + "@example.com";
            distinct.add(email);
            String visitor = null;
            if (i < 2) {
                visitor = TestLeads.visitor();
                visitorOf.put(email, visitor);
                TestLeads.track("{\"events\":[" + TestLeads.pageView(visitor, "https://example.com/pricing", 40) + "]}");
            }
            bodies.add("{\"email\":\"%s\",\"firstName\":\"N%d\",\"company\":\"Batch Co\"%s}"
                    .formatted(email, i, visitor == null ? "" : ",\"visitorId\":\"" + visitor + "\""));
        }
        String repeated = "repeat-" + run + "@example.com";
        for (int i = 0; i < 10; i++) {
            bodies.add("{\"email\":\"%s\",\"jobTitle\":\"Title %d\"}".formatted(i % 2 == 0 ? repeated : repeated.toUpperCase(), i));
        }

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = bodies.stream()
                .map(body -> client.sendAsync(HttpRequest.newBuilder(submissions)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertEquals(202, response.statusCode(), response.body());
            assertEquals("{\"status\":\"received\"}", response.body(), "a submitter learns nothing about the lead");
        }

        Map<String, String> leadIds = new HashMap<>();
        for (String email : distinct) {
            leadIds.put(email, given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                    .get("/api/capture/leads").then().statusCode(200)
                    .body("items", hasSize(1)).body("items[0].company", equalTo("Batch Co"))
                    .extract().path("items[0].id"));
        }
        String repeatedId = given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", repeated)
                .get("/api/capture/leads").then().statusCode(200)
                .body("items", hasSize(1)).extract().path("items[0].id");
        List<String> kinds = given().header("Authorization", Tokens.bearer("marketing"))
                .get("/api/capture/leads/" + repeatedId + "/timeline").then().statusCode(200)
                .extract().jsonPath().getList("kind", String.class);
        assertEquals(10, kinds.stream().filter("submission"::equals).count(), "every submission of the repeated e-mail is kept: " + kinds);

        Set<String> ours = new java.util.HashSet<>(leadIds.values());
        ours.add(repeatedId);
        try (KafkaEvents events = KafkaEvents.read(topic)) {
            events.await(r -> r.key().equals(repeatedId) && r.value().contains("\"lead.updated\""), Duration.ofSeconds(60));
            List<ConsumerRecord<String, String>> records = events.collect(r -> ours.contains(r.key()), Duration.ofSeconds(3));
            Map<String, Map<String, Long>> typesPerLead = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                JsonNode event = EventSchemas.assertValid(r.value());
                typesPerLead.computeIfAbsent(r.key(), k -> new HashMap<>())
                        .merge(event.get("type").asText(), 1L, Long::sum);
            }
            for (String email : distinct) {
                Map<String, Long> types = typesPerLead.get(leadIds.get(email));
                assertEquals(1L, types.get("lead.captured"), email + ": " + types);
                assertEquals(visitorOf.containsKey(email) ? 1L : null, types.get("lead.activity"), email + ": " + types);
            }
            Map<String, Long> repeatedTypes = typesPerLead.get(repeatedId);
            assertEquals(1L, repeatedTypes.get("lead.captured"), repeatedTypes.toString());
            assertEquals(9L, repeatedTypes.get("lead.updated"), repeatedTypes.toString());
        }

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher max = Pattern.compile("(?m)^capture_submission_batch_size_max\\S* ([0-9.E]+)$").matcher(metrics);
        assertTrue(max.find(), "batch size metric missing");
        assertTrue(Double.parseDouble(max.group(1)) > 1,
                "90 concurrent submissions were written one per transaction: " + metrics.lines()
                        .filter(l -> l.startsWith("capture_submission_batch")).collect(Collectors.joining("; ")));
    }
}
