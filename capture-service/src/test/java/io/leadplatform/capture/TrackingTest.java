package io.leadplatform.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.leadplatform.capture.TestLeads.email;
import static io.leadplatform.capture.TestLeads.pageView;
import static io.leadplatform.capture.TestLeads.submit;
import static io.leadplatform.capture.TestLeads.track;
import static io.leadplatform.capture.TestLeads.visitor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@QuarkusTest
class TrackingTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    @Test
    void trackerScriptIsPublicSmallAndCacheable() {
        var response = given().get("/api/capture/tracker.js").then().statusCode(200)
                .contentType(containsString("text/javascript"))
                .header("Cache-Control", containsString("max-age"))
                .header("ETag", notNullValue())
                .body(containsString("lp_vid"), containsString("lp_ses"), containsString("sendBeacon"),
                        containsString("visibilitychange"), containsString("pagehide"), containsString("visitorId"),
                        containsString("timeZone"), containsString("utm_"), containsString("/track"),
                        not(containsString("/* ")))
                .extract();
        assertTrue(response.asByteArray().length < 6 * 1024, "tracker.js must stay under 6 KB as served");
        given().header("If-None-Match", response.header("ETag")).get("/api/capture/tracker.js").then().statusCode(304);
    }

    /**
     * The real snippet, run by Node in a minimal browser stand-in over four pages: what it sends is what the endpoint
     * takes; sessions follow the rules (same visit, 31 minutes idle, new campaign); its visitor id and time zone reach
     * the form; every page view becomes website.activity with the session's channel and no personal data.
     */
    @Test
    void theSnippetsBeaconsAreAcceptedAndItsVisitorIdLinksTheForm() throws Exception {
        assumeTrue(nodeAvailable(), "node is not installed");
        ProcessBuilder builder = new ProcessBuilder("node", "src/test/resources/tracker-harness.js", "src/main/resources/tracker/tracker.js")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("TZ", "Europe/Berlin");
        Process node = builder.start();
        String output = new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(node.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, node.exitValue(), output);
        JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output);
        String visitor = run.get("visitorId").asText();
        assertTrue(visitor.matches("[0-9a-f-]{36}"), visitor);
        assertEquals(visitor, run.get("formVisitorId").asText(), "forms carry the visitor id");
        assertEquals("hidden", run.get("hiddenType").asText());
        assertEquals("Europe/Berlin", run.get("formTimeZone").asText(), "forms carry the browser's IANA time zone");
        assertEquals("lp_vid=" + visitor, run.get("cookie").asText(), "first-party cookie");
        assertEquals(visitor, run.get("stored").asText(), "localStorage copy");
        assertEquals(2, run.get("beacons").size(), "the download at once, the page view when the tab is hidden");

        JsonNode pages = run.get("pages");
        String session = pages.get(0).get("sessionId").asText();
        assertEquals(session, pages.get(1).get("sessionId").asText(), "the next page of the visit");
        assertTrue(pages.get(0).get("sessionStart").asBoolean());
        assertTrue(!pages.get(1).get("sessionStart").asBoolean());
        assertTrue(!session.equals(pages.get(2).get("sessionId").asText()), "31 minutes idle: a new session");
        assertTrue(pages.get(3).get("sessionStart").asBoolean(), "a new campaign: a new session");
        assertTrue(!pages.get(2).get("sessionId").asText().equals(pages.get(3).get("sessionId").asText()));
        assertEquals("www.google.com", pages.get(0).get("referrer").asText(), "the referrer's host only");
        assertEquals("gclid", pages.get(0).get("clickId").asText(), "the click id's name, never its value");
        assertTrue(!output.contains("private") && !output.contains("abc123") && !output.contains("email=x"), output);

        for (JsonNode beacon : run.get("beacons")) {
            assertTrue(beacon.get("url").asText().endsWith("/api/capture/track"));
            given().contentType("text/plain;charset=UTF-8").body(beacon.get("body").asText())
                    .post("/api/capture/track").then().statusCode(202);
        }
        String email = email();
        String leadId = submit("{\"email\":\"%s\",\"visitorId\":\"%s\",\"timeZone\":\"%s\"}"
                .formatted(email, run.get("formVisitorId").asText(), run.get("formTimeZone").asText()));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + leadId + "/timeline")
                .then().statusCode(200)
                .body("findAll { it.kind == 'activity' }.details.activityType", containsInAnyOrder("page_view", "download"))
                .body("findAll { it.kind == 'activity' && it.details.activityType == 'download' }.details.asset",
                        contains("https://example.com/files/ebook.pdf"))
                .body("findAll { it.kind == 'activity' && it.details.activityType == 'page_view' }.details.url",
                        contains("https://example.com/pricing"))
                .body("findAll { it.kind == 'activity' && it.details.activityType == 'page_view' }[0].details.durationSeconds",
                        greaterThanOrEqualTo(1));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + leadId)
                .then().statusCode(200).body("timeZone", equalTo("Europe/Berlin"));

        // the later pages, now of a known visitor
        for (int i = 1; i < pages.size(); i++) {
            track("{\"events\":[" + pages.get(i) + "]}");
        }
        try (KafkaEvents events = KafkaEvents.read(topic)) {
            List<ConsumerRecord<String, String>> views = awaitWebsiteActivity(events, visitor, 4);
            List<JsonNode> data = views.stream().map(r -> EventSchemas.assertValid(r.value()).get("data"))
                    .sorted(java.util.Comparator.comparing(d -> d.get("occurredAt").asText())).toList();
            assertEquals(List.of("paid", "paid", "referral", "email"), data.stream().map(d -> d.get("channel").asText()).toList());
            assertEquals(List.of("/pricing", "/features", "/blog", "/webinar"), data.stream().map(d -> d.get("path").asText()).toList());
            assertEquals("www.google.com", data.get(0).get("referrerHost").asText());
            assertEquals("news.example.org", data.get(2).get("referrerHost").asText());
            assertEquals("spring", data.get(0).at("/utm/campaign").asText());
            assertTrue(data.get(0).get("leadId").isNull(), "anonymous when it happened");
            assertEquals(leadId, data.get(3).get("leadId").asText(), "known visitor: the lead id is carried");
            assertEquals(session, data.get(1).get("sessionId").asText());
            for (ConsumerRecord<String, String> r : views) {
                assertTrue(!r.value().contains(email) && !r.value().contains("Europe/Berlin"), "no personal data: " + r.value());
            }
        }
    }

    private static boolean nodeAvailable() {
        try {
            return new ProcessBuilder("node", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void anonymousActivityIsLinkedWhenTheVisitorSubmitsAFormAndEmitted() {
        String visitor = visitor();
        track("{\"events\":[%s,%s]}".formatted(pageView(visitor, "https://example.com/pricing", 42),
                pageView(visitor, "https://example.com/features", 18)));
        // what navigator.sendBeacon sends: a text/plain body
        given().contentType("text/plain;charset=UTF-8")
                .body("""
                        {"events":[{"visitorId":"%s","type":"download","url":"https://example.com/ebook","asset":"https://example.com/ebook.pdf"}]}"""
                        .formatted(visitor))
                .post("/api/capture/track")
                .then().statusCode(202).body("recorded", equalTo(1)).body("$", not(hasKey("leadId")));

        String leadId = submit("{\"email\":\"%s\",\"visitorId\":\"%s\"}".formatted(email(), visitor));

        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/leads/" + leadId + "/timeline")
                .then().statusCode(200)
                .body("kind", hasItems("submission", "activity"))
                .body("findAll { it.kind == 'activity' }", hasSize(3))
                .body("findAll { it.kind == 'activity' }.details.activityType", hasItems("page_view", "download"))
                .body("findAll { it.kind == 'activity' }.details.durationSeconds", hasItems(42, 18))
                .body("[0].kind", equalTo("submission"));

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            List<ConsumerRecord<String, String>> activity = awaitActivities(events, leadId, 3);
            int seconds = 0;
            for (ConsumerRecord<String, String> r : activity) {
                JsonNode event = EventSchemas.assertValid(r.value());
                assertEquals(visitor, event.at("/data/visitorId").asText());
                seconds += event.at("/data/durationSeconds").asInt(0);
            }
            assertEquals(60, seconds, "time on site reaches scoring");

            // every page view was also website.activity, keyed by the visitor, while it was still anonymous
            List<ConsumerRecord<String, String>> views = awaitWebsiteActivity(events, visitor, 2);
            for (ConsumerRecord<String, String> r : views) {
                JsonNode data = EventSchemas.assertValid(r.value()).get("data");
                assertTrue(data.get("leadId").isNull());
                assertEquals(visitor + "-20261120", data.get("sessionId").asText(), "no session id sent: one per visitor and UTC day");
                assertEquals("direct", data.get("channel").asText());
                assertEquals("example.com", data.get("host").asText());
            }

            // activity of a visitor already linked to a lead is emitted right away
            track("{\"events\":[%s]}".formatted(pageView(visitor, "https://example.com/after-signup", 7)));
            ConsumerRecord<String, String> later = events.await(r -> r.key().equals(leadId)
                    && r.value().contains("after-signup"), Duration.ofSeconds(60));
            EventSchemas.assertValid(later.value());
        }
    }

    @Test
    void aPublicFormWithSomeoneElsesVisitorIdMergesNothing() {
        String visitor = visitor();
        track("{\"events\":[%s]}".formatted(pageView(visitor, "https://example.com/owner-page", 30)));
        String owner = submit("{\"email\":\"%s\",\"visitorId\":\"%s\"}".formatted(email(), visitor));
        // someone else claims the same visitor id on a public form
        String claimant = submit("{\"email\":\"%s\",\"firstName\":\"Mallory\",\"visitorId\":\"%s\"}".formatted(email(), visitor));
        track("{\"events\":[%s]}".formatted(pageView(visitor, "https://example.com/owner-later", 5)));

        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + claimant + "/timeline")
                .then().statusCode(200)
                .body("findAll { it.kind == 'activity' }", hasSize(0))
                .body("findAll { it.kind == 'merge' }", hasSize(0));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + owner + "/timeline")
                .then().statusCode(200)
                .body("findAll { it.kind == 'activity' }.details.url",
                        hasItems("https://example.com/owner-page", "https://example.com/owner-later"));
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + owner + "/export")
                .then().statusCode(200).body("lead.mergedInto", equalTo(null)).body("lead.firstName", equalTo(null));
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/leads/" + claimant + "/export")
                .then().statusCode(200).body("lead.mergedInto", equalTo(null)).body("activities", hasSize(0));
    }

    @Test
    void badBatchesAreRejectedWholeAndNothingIsStored() {
        String visitor = visitor();
        given().contentType(ContentType.JSON).body("{\"events\": [").post("/api/capture/track")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("").post("/api/capture/track")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.XML).body("<events/>").post("/api/capture/track")
                .then().statusCode(415).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"events\":[]}").post("/api/capture/track")
                .then().statusCode(422).body("errors.field", hasItem("events"));
        String tooMany = IntStream.range(0, 101).mapToObj(i -> pageView(visitor, "https://example.com/" + i, 1))
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        given().contentType(ContentType.JSON).body(tooMany).post("/api/capture/track")
                .then().statusCode(422).body("errors.field", hasItem("events"));

        // one good event and bad ones: per-field errors, and the good one is not stored either
        given().contentType(ContentType.JSON)
                .body("""
                        {"events":[%s,
                          {"visitorId":"not-a-uuid","type":"page_view"},
                          {"visitorId":"%s","type":"teleport","durationSeconds":-1},
                          {"visitorId":"%s","type":"page_view","url":"https://x.test/\\u0000","occurredAt":"2999-01-01T00:00:00Z"},
                          {"visitorId":"%s","type":"page_view","sessionId":"a b","clickId":"email","utm":{"source":"%s"}}]}"""
                        .formatted(pageView(visitor, "https://example.com/good", 3), visitor, visitor, visitor, "s".repeat(201)))
                .post("/api/capture/track")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("events[1].visitorId", "events[2].type", "events[2].durationSeconds",
                        "events[3].url", "events[3].occurredAt", "events[4].sessionId", "events[4].clickId",
                        "events[4].utm.source"));
        given().contentType(ContentType.JSON)
                .body("{\"events\":[{\"visitorId\":\"%s\",\"type\":\"page_view\",\"occurredAt\":\"yesterday\"}]}".formatted(visitor))
                .post("/api/capture/track")
                .then().statusCode(422).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"events\":[" + pageView(visitor, "https://example.com/" + "x".repeat(300_000), 1) + "]}")
                .post("/api/capture/track")
                .then().statusCode(413).contentType("application/problem+json");

        String leadId = submit("{\"email\":\"%s\",\"visitorId\":\"%s\"}".formatted(email(), visitor));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/leads/" + leadId + "/timeline")
                .then().statusCode(200).body("findAll { it.kind == 'activity' }", hasSize(0));
    }

    private static List<ConsumerRecord<String, String>> awaitActivities(KafkaEvents events, String leadId, int count) {
        return awaitEvents(events, leadId, "lead.activity", count);
    }

    private static List<ConsumerRecord<String, String>> awaitWebsiteActivity(KafkaEvents events, String visitorId, int count) {
        return awaitEvents(events, visitorId, "website.activity", count);
    }

    /** Exactly {@code count} events of the type with this record key (waits up to 60 s for them). */
    private static List<ConsumerRecord<String, String>> awaitEvents(KafkaEvents events, String key, String type, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<ConsumerRecord<String, String>> found = List.of();
        while (found.size() < count && System.nanoTime() < deadline) {
            found = events.collect(r -> r.key().equals(key) && r.value().contains("\"" + type + "\""), Duration.ofMillis(500));
        }
        assertEquals(count, found.size(), type + " events with key " + key);
        return found;
    }
}
