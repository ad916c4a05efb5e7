package io.leadplatform.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ContactImportTest {

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    /**
     * An import leaves up to 100k events in the outbox, relayed in order: wait until they are out, so that
     * the next test's events are not queued behind them (and its Kafka reads need not skim a backlog).
     */
    @AfterEach
    void outboxDrained() {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
                pool.query("select count(*) from outbox_event where published_at is null").execute()
                        .await().indefinitely().iterator().next().getLong(0) == 0L);
    }


    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    private static final String MAPPING = """
            {"columns":{"email":"E-Mail","firstName":"First name","lastName":"Last name","company":"Company","country":"Country"},
             "extra":{"industry":"Industry"},
             "consents":[{"purpose":"newsletter","column":"Opt-in","textVersion":"list-2026"}]}""";
    private static final String HEADER = "E-Mail,First name,Last name,Company,Country,Opt-in,Industry\n";

    private static RequestSpecification upload(String principal, Path file, String mapping, String listName) {
        RequestSpecification spec = given().header("Authorization", Tokens.bearer(principal));
        if (file != null) {
            spec.multiPart("file", file.toFile(), "text/csv");
        }
        if (mapping != null) {
            spec.multiPart("mapping", mapping);
        }
        return spec.multiPart("listName", listName).multiPart("channel", "purchased-list").multiPart("campaign", "q4-list");
    }

    private static JsonPath awaitDone(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath job = given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/imports/" + jobId)
                    .then().statusCode(200).extract().jsonPath();
            if (!job.getString("state").equals("queued") && !job.getString("state").equals("running")) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("import " + jobId + " did not finish in " + timeout);
    }

    @Test
    void smallListWithBadRowsDuplicatesAndConsent() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String known = "known-" + run + "@example.com";
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\",\"firstName\":\"Kept\"}".formatted(known))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        Path csv = Files.createTempFile("small", ".csv");
        Files.writeString(csv, "\uFEFF" + HEADER
                + "ann-" + run + "@example.com,Ann,Lee,Initech,de,yes,Software\n"     // row 2: accepted, consent granted
                + "bob-" + run + "@example.com,Bob,\"Smith, Jr.\",Hooli,,,\n"          // row 3: accepted, no consent
                + "not-an-email,Carl,X,Y,DE,,\n"                                      // row 4: invalid e-mail
                + "ANN-" + run + "@example.com,Ann,Again,Initech,DE,no,\n"           // row 5: duplicate of row 2
                + known + ",Over,Writer,Evil Corp,US,yes,\n"                          // row 6: known lead, left unchanged
                + "dan-" + run + "@example.com,Dan,Y,Z,Germany,maybe,\n"             // row 7: bad country and consent value
                + "eve-" + run + "@example.com,Eve\n",                                // row 8: too few columns
                StandardCharsets.UTF_8);
        String jobId = upload("marketing", csv, MAPPING, "fair-" + run).post("/api/capture/imports")
                .then().statusCode(202).body("state", equalTo("queued")).body("rowsTotal", equalTo(7))
                .extract().path("id");
        JsonPath job = awaitDone(jobId, Duration.ofSeconds(30));
        assertEquals("done", job.getString("state"));
        assertEquals(7, job.getInt("rowsRead"));
        assertEquals(2, job.getInt("accepted"));
        assertEquals(2, job.getInt("duplicates"));
        assertEquals(3, job.getInt("errors"));

        String errors = given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/imports/" + jobId + "/errors")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertTrue(errors.startsWith("row,field,message"), errors);
        assertTrue(errors.contains("4,email,"), errors);
        assertTrue(errors.contains("5,email,duplicate of row 2 of this file"), errors);
        assertTrue(errors.contains("6,email,already known"), errors);
        assertTrue(errors.contains("7,country,"), errors);
        assertTrue(errors.contains("7,Opt-in,"), errors);
        assertTrue(errors.contains("8,,\"has 2 columns, the header has 7\""), errors);

        String annId = given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", "ann-" + run + "@example.com")
                .get("/api/capture/leads").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].source", equalTo("import")).body("items[0].sourceRef", equalTo("fair-" + run))
                .body("items[0].channel", equalTo("purchased-list")).body("items[0].campaign", equalTo("q4-list"))
                .body("items[0].country", equalTo("DE")).body("items[0].fields.industry", equalTo("Software"))
                .body("items[0].consents[0].purpose", equalTo("newsletter"))
                .body("items[0].consents[0].granted", equalTo(true))
                .extract().path("items[0].id");
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", "bob-" + run + "@example.com")
                .get("/api/capture/leads").then().statusCode(200)
                .body("items[0].lastName", equalTo("Smith, Jr.")).body("items[0].consents", hasSize(0));
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", known)
                .get("/api/capture/leads").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].firstName", equalTo("Kept")).body("items[0].source", equalTo("form"));

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> record = events.await(r -> r.key().equals(annId), Duration.ofSeconds(60));
            JsonNode event = EventSchemas.assertValid(record.value());
            assertEquals("lead.captured", event.get("type").asText());
            assertEquals("import", event.at("/data/source").asText());
            assertEquals("fair-" + run, event.at("/data/sourceRef").asText());
        }
    }

    @Test
    void hundredThousandRowsAreStreamedInBatches() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String known = "bulk-known-" + run + "@example.com";
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\"}".formatted(known))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        int rows = 100_000;
        int invalid = 0;
        int duplicates = 0;
        Path csv = Files.createTempFile("bulk", ".csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            for (int i = 0; i < rows; i++) {
                String email = "r" + i + "-" + run + "@bulk.example.com";
                if (i % 10_000 == 7) {
                    email = "row-" + i + "-without-at-sign";
                    invalid++;
                } else if (i % 10_000 == 8) {
                    email = "r" + (i - 3) + "-" + run + "@bulk.example.com";    // duplicate inside the same batch
                    duplicates++;
                } else if (i % 10_000 == 9 && i > 10_000) {
                    email = "r" + (i - 2_000) + "-" + run + "@bulk.example.com"; // duplicate of an earlier batch
                    duplicates++;
                } else if (i == 50_000) {
                    email = known;                                               // known from a form
                    duplicates++;
                }
                out.write(email + ",First" + i + ",Last" + i + ",Company " + (i % 500) + ",DE," + (i % 2 == 0 ? "yes" : "")
                        + ",Industry " + (i % 20) + "\n");
            }
        }
        long bytes = Files.size(csv);
        long start = System.nanoTime();
        String jobId = upload("admin", csv, MAPPING, "bulk-" + run).post("/api/capture/imports")
                .then().statusCode(202).body("rowsTotal", equalTo(rows)).extract().path("id");
        long accepted202 = System.nanoTime();

        long maxHeap = 0;
        long maxRss = 0;
        long lastRead = -1;
        boolean sawProgress = false;
        JsonPath job = null;
        while (System.nanoTime() - start < Duration.ofSeconds(300).toNanos()) {
            job = given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/imports/" + jobId)
                    .then().statusCode(200).extract().jsonPath();
            long read = job.getLong("rowsRead");
            if (read > 0 && read < rows) {
                sawProgress = true;
                assertEquals(read, job.getLong("accepted") + job.getLong("duplicates") + job.getLong("errors"));
            }
            assertTrue(read >= lastRead, "progress never goes back");
            lastRead = read;
            System.out.printf("IMPORT-PROGRESS t=%.1fs read=%d%n", (System.nanoTime() - start) / 1e9, read);
            maxHeap = Math.max(maxHeap, heapUsed());
            maxRss = Math.max(maxRss, rss());
            if (!job.getString("state").equals("queued") && !job.getString("state").equals("running")) {
                break;
            }
            Thread.sleep(500);
        }
        long end = System.nanoTime();
        assertEquals("done", job.getString("state"));
        assertEquals(rows, job.getInt("rowsRead"));
        assertEquals(invalid, job.getInt("errors"));
        assertEquals(duplicates, job.getInt("duplicates"));
        assertEquals(rows - invalid - duplicates, job.getInt("accepted"));
        assertTrue(sawProgress, "progress was visible while the job ran");

        double seconds = (end - start) / 1e9;
        System.out.printf("IMPORT-FIGURES rows=%d bytes=%d upload+check=%.2fs total=%.2fs rows/s=%.0f maxHeapUsedMB=%d maxRssMB=%d%n",
                rows, bytes, (accepted202 - start) / 1e9, seconds, rows / seconds, maxHeap >> 20, maxRss >> 20);
        assertTrue(seconds < 300, "100k rows in " + seconds + " s");

        String errors = given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/imports/" + jobId + "/errors")
                .then().statusCode(200).extract().asString();
        assertEquals(invalid + duplicates, errors.lines().count() - 1);
        assertTrue(errors.contains("9,email,"), errors.substring(0, Math.min(400, errors.length())));
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", "r2-" + run + "@bulk.example.com")
                .get("/api/capture/leads").then().statusCode(200).body("items[0].consents[0].granted", equalTo(true));
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", "r3-" + run + "@bulk.example.com")
                .get("/api/capture/leads").then().statusCode(200).body("items[0].consents", hasSize(0));
        Files.deleteIfExists(csv);
    }

    @Test
    void badUploadsAreRefusedAndNothingIsImported() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path malformed = Files.createTempFile("bad", ".csv");
        Files.writeString(malformed, HEADER + "\"open-" + run + "@example.com,A,B,C,DE,,\nx@example.com,A,B,C,DE,,\n");
        upload("marketing", malformed, MAPPING, "bad-" + run).post("/api/capture/imports")
                .then().statusCode(400).contentType("application/problem+json").body("title", equalTo("Malformed CSV"));

        Path dupHeader = Files.createTempFile("dup", ".csv");
        Files.writeString(dupHeader, "E-Mail,E-Mail\na@example.com,b@example.com\n");
        upload("marketing", dupHeader, "{\"columns\":{\"email\":\"E-Mail\"}}", "bad-" + run).post("/api/capture/imports")
                .then().statusCode(400).contentType("application/problem+json");

        Path good = Files.createTempFile("good", ".csv");
        Files.writeString(good, HEADER + "ok-" + run + "@example.com,A,B,C,DE,,\n");
        upload("marketing", good, MAPPING.replace("\"Company\"", "\"Firma\""), "bad-" + run).post("/api/capture/imports")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("mapping.columns.company"));
        upload("marketing", good, "{\"columns\":{\"firstName\":\"First name\",\"shoe\":\"Company\"}}", "bad-" + run)
                .post("/api/capture/imports").then().statusCode(422)
                .body("errors.field", hasItem("mapping.columns.email"));
        upload("marketing", good, "{not json", "bad-" + run).post("/api/capture/imports")
                .then().statusCode(422).body("errors.field", hasItem("mapping"));
        upload("marketing", null, MAPPING, "bad-" + run).post("/api/capture/imports")
                .then().statusCode(422).body("errors.field", hasItem("file"));
        upload("marketing", good, MAPPING, " ").post("/api/capture/imports")
                .then().statusCode(422).body("errors.field", hasItem("listName"));

        // who may import
        given().multiPart("file", good.toFile(), "text/csv").multiPart("mapping", MAPPING).multiPart("listName", "x")
                .multiPart("channel", "x").post("/api/capture/imports").then().statusCode(401);
        upload("sales", good, MAPPING, "bad-" + run).post("/api/capture/imports").then().statusCode(403);
        upload("partner-acme", good, MAPPING, "bad-" + run).post("/api/capture/imports").then().statusCode(403);
        given().get("/api/capture/imports/" + UUID.randomUUID()).then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/imports/" + UUID.randomUUID()).then().statusCode(403);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/imports/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/imports/" + UUID.randomUUID() + "/errors")
                .then().statusCode(404);

        // none of the refused uploads wrote a lead
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", "ok-" + run + "@example.com")
                .get("/api/capture/leads").then().statusCode(200).body("items", hasSize(0));
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", "x@example.com")
                .queryParam("source", "import").get("/api/capture/leads").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void otherEndpointsKeepTheOneMegabyteLimit() {
        given().contentType(ContentType.JSON).body("{\"email\":\"a@example.com\",\"company\":\"" + "x".repeat(1_100_000) + "\"}")
                .post("/api/capture/forms/contact/submissions")
                .then().statusCode(413).contentType("application/problem+json");
    }

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+-]+)$", Pattern.MULTILINE);

    private static long heapUsed() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = HEAP.matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return (long) sum;
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException ignored) {
            // not Linux: no RSS figure
        }
        return 0;
    }
}
