package io.leadplatform.nurturing;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leads enter sequences, get mail in GreenMail, click, unsubscribe; events go out through the outbox. */
@QuarkusTest
class SendingFlowTest {

    @ConfigProperty(name = "mp.messaging.incoming.capture-events.topic")
    String captureTopic;
    @ConfigProperty(name = "mp.messaging.incoming.scoring-events.topic")
    String scoringTopic;
    @ConfigProperty(name = "platform.outbox.topic")
    String outboxTopic;

    static final String FLOW = """
            {"name":"Flow %s","phase":"pre-sale","trigger":{"stages":["%s"]},
             "steps":[{"id":"hello","type":"send","template":"flow-hello"},
                      {"id":"pause","type":"wait","duration":"P3D"},
                      {"id":"next","type":"send","template":"flow-hello"}]}""";

    @BeforeEach
    void templates() {
        Fixtures.template("flow-hello", "Hello {lead.firstName}",
                "<html><body><p>Hi {lead.firstName} of {lead.company}</p><a href=\"https://acme.io/offer?x=1&amp;y=2\">offer</a>"
                        + "<a href=\"https://acme.io/pricing\">pricing</a><a href=\"https://acme.io/blog\">blog</a>"
                        + "<a href=\"{unsubscribeUrl}\">unsubscribe</a></body></html>");
    }

    @Test
    void manuallyEnrolledLeadGetsTheMailWithUnsubscribeHeadersAndHistory() {
        UUID lead = UUID.randomUUID();
        String email = Fixtures.unique("flow");
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, email, "Ada <b>", true, "active", "America/New_York", "contact"));
        String sequence = Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), "MQL"));
        String enrollment = Fixtures.enroll(sequence, lead);

        Fixtures.Message mail = Fixtures.awaitMail(email);
        assertEquals("Hello Ada <b>", mail.subject());
        assertTrue(mail.body().contains("Hi Ada &lt;b&gt; of Acme GmbH"), mail.body());
        assertEquals("List-Unsubscribe=One-Click", mail.header("List-Unsubscribe-Post"));
        String unsubscribe = mail.header("List-Unsubscribe");
        assertTrue(unsubscribe.matches("<https://[^>]+/api/nurturing/unsubscribe/[^>]+>"), unsubscribe);
        assertEquals("marketing", mail.header("X-Leads-Category"));
        assertEquals(4, mail.links("c").size(), "three visible links rewritten + the trap; the unsubscribe link stays: " + mail.body());
        assertEquals(1, mail.links("o").size());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment)
                        .then().statusCode(200).body("status", equalTo("active")).body("currentStep", equalTo("next"))
                        .body("nextDue", notNullValue())
                        .body("history.action", hasItem("sent")).body("history.action", hasItem("waiting")));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead + "/emails")
                .then().statusCode(200).body("[0].state", equalTo("sent")).body("[0].stepId", equalTo("hello"))
                .body("[0].messageId", equalTo(mail.messageId()));

        try (KafkaEvents events = KafkaEvents.read(outboxTopic)) {
            ConsumerRecord<String, String> sent = events.await(r -> lead.toString().equals(r.key()) && r.value().contains("\"sent\""), Duration.ofSeconds(30));
            JsonNode event = EventSchemas.assertValid(sent.value());
            assertEquals("hello", event.path("data").path("stepId").asText());
            assertEquals("flow-hello", event.path("data").path("templateId").asText());
            assertEquals(sequence, event.path("data").path("sequenceId").asText());
            events.await(r -> lead.toString().equals(r.key()) && r.value().contains("\"delivered\""), Duration.ofSeconds(30));
        }

        // the same lead cannot be in the same sequence twice at once
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body("{\"leadIds\":[\"" + lead + "\"]}")
                .post("/api/nurturing/sequences/" + sequence + "/enrollments").then().statusCode(200)
                .body("[0].outcome", equalTo("skipped")).body("[0].reason", containsString("already"));
    }

    @ConfigProperty(name = "nurturing.webhooks.esp.secret")
    String espSecret;

    @Test
    void anAddressTheEspReportedBeforeTheLeadExistedIsNeverMailed() {
        String email = Fixtures.unique("esp-reported");
        io.leadplatform.nurturing.webhook.EspWebhookTest.post(espSecret, "msg_" + UUID.randomUUID(), java.time.Instant.now().getEpochSecond(),
                io.leadplatform.nurturing.webhook.EspWebhookTest.bounce(email, "hard")).then().statusCode(200);
        UUID lead = UUID.randomUUID();
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, email, "Eve", true, "active", null, "contact"));
        Fixtures.enroll(Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), "MQL")), lead);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead + "/emails")
                        .then().statusCode(200).body("[0].state", equalTo("suppressed")));
        assertTrue(Fixtures.mailbox(email).isEmpty(), "mailed an address the ESP had reported");
    }

    @Test
    void clicksAreClassifiedAndRedirectOnlyToSignedTargets() throws Exception {
        UUID lead = UUID.randomUUID();
        String email = Fixtures.unique("click");
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, email, "Bo", true, "active", null, "contact"));
        Fixtures.enroll(Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), "MQL")), lead);
        Fixtures.Message mail = Fixtures.awaitMail(email);
        List<String> clicks = mail.links("c");
        String browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";

        // a scanner agent, a HEAD probe and the hidden trap link: bots, still redirected (the target is signed)
        given().redirects().follow(false).header("User-Agent", "Mozilla/5.0 Barracuda Sentinel").get(clicks.get(1)).then().statusCode(302)
                .header("Location", equalTo("https://acme.io/pricing"));
        given().redirects().follow(false).header("User-Agent", browser).head(clicks.get(1)).then().statusCode(302);
        given().redirects().follow(false).header("User-Agent", browser).get(clicks.get(3)).then().statusCode(302);
        // a browser, but within a second of the send: a prefetch or sandbox, not a reader
        given().redirects().follow(false).header("User-Agent", browser).get(clicks.get(1)).then().statusCode(302);
        Thread.sleep(9000); // longer than the test profile's min-human-delay (8 s: a loaded CI machine is slow to click "fast")
        given().redirects().follow(false).header("User-Agent", browser).get(clicks.get(0)).then().statusCode(302)
                .header("Location", equalTo("https://acme.io/offer?x=1&y=2"));
        given().header("User-Agent", browser).get(mail.links("o").get(0)).then().statusCode(200).contentType("image/gif");

        // altered or unsigned tokens: 400, no redirect
        String token = clicks.get(0).substring(clicks.get(0).lastIndexOf('/') + 1);
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("https://acme.io/offer?x=1&y=2", "https://evil.example/").getBytes()) + token.substring(token.indexOf('.'));
        given().redirects().follow(false).get("/api/nurturing/c/" + forged).then().statusCode(400).contentType("application/problem+json");
        given().redirects().follow(false).get("/api/nurturing/c/aHR0cHM6Ly9ldmlsLmV4YW1wbGUv").then().statusCode(400);
        given().get("/api/nurturing/o/garbage.sig").then().statusCode(400);

        try (KafkaEvents events = KafkaEvents.read(outboxTopic)) {
            List<JsonNode> clicked = events.collect(r -> lead.toString().equals(r.key()) && r.value().contains("\"clicked\""), Duration.ofSeconds(8))
                    .stream().map(r -> EventSchemas.assertValid(r.value()).path("data")).toList();
            assertEquals(5, clicked.size(), clicked.toString());
            List<JsonNode> human = clicked.stream().filter(d -> "human".equals(d.path("classification").asText())).toList();
            assertEquals(1, human.size(), clicked.toString());
            assertEquals("https://acme.io/offer?x=1&y=2", human.get(0).path("url").asText());
            assertTrue(clicked.stream().filter(d -> !"human".equals(d.path("classification").asText())).allMatch(d -> d.path("bot").asBoolean()));
            assertTrue(clicked.stream().anyMatch(d -> d.path("reason").asText().contains("scanner user agent")), clicked.toString());
            assertTrue(clicked.stream().anyMatch(d -> d.path("reason").asText().contains("HEAD")), clicked.toString());
            assertTrue(clicked.stream().anyMatch(d -> d.path("reason").asText().contains("trap")), clicked.toString());
            assertTrue(clicked.stream().anyMatch(d -> d.path("reason").asText().contains("faster than a reader")), clicked.toString());
        }
    }

    @Test
    void oneClickUnsubscribeTakesEffectAtOnceAndEndsEnrollments() {
        UUID lead = UUID.randomUUID();
        String email = Fixtures.unique("unsub");
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, email, "Cy", true, "active", null, "contact"));
        String enrollment = Fixtures.enroll(Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), "MQL")), lead);
        Fixtures.Message mail = Fixtures.awaitMail(email);
        String link = mail.header("List-Unsubscribe");
        String path = link.substring(link.indexOf("/api/nurturing/"), link.length() - 1);

        given().contentType("application/x-www-form-urlencoded").formParam("List-Unsubscribe", "One-Click").post(path).then().statusCode(200);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead).then().statusCode(200)
                .body("unsubscribedAt", notNullValue()).body("marketingBlock", equalTo("unsubscribed"));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                .body("status", equalTo("exited")).body("exitReason", containsString("unsubscribed"));
        // the link in the body works too (idempotent) and nobody can re-enroll the lead
        given().get(mail.links("unsubscribe").get(0)).then().statusCode(200).body(containsString("unsubscribed"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body("{\"leadIds\":[\"" + lead + "\"]}")
                .post("/api/nurturing/sequences/" + Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), "MQL")) + "/enrollments")
                .then().statusCode(200).body("[0].outcome", equalTo("skipped")).body("[0].reason", containsString("unsubscribed"));
        given().post(path.substring(0, path.length() - 3) + "xyz").then().statusCode(400);
        try (KafkaEvents events = KafkaEvents.read(outboxTopic)) {
            EventSchemas.assertValid(events.await(r -> lead.toString().equals(r.key()) && r.value().contains("\"unsubscribed\""),
                    Duration.ofSeconds(30)).value());
        }
    }

    @Test
    void stageTriggersEnrollAndSaleStagesEndPreSaleSequences() {
        UUID lead = UUID.randomUUID();
        String email = Fixtures.unique("stage");
        String stage = "RECYCLED";
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, email, "Di", true, "active", "Europe/Berlin", "contact"));
        String sequence = Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), stage));
        KafkaEvents.send(scoringTopic, lead.toString(), Fixtures.stageChanged(lead, "MQL", stage));
        Fixtures.awaitMail(email);
        String enrollment = given().header("Authorization", Tokens.bearer("marketing")).queryParam("leadId", lead).get("/api/nurturing/enrollments")
                .then().statusCode(200).body("[0].sequenceId", equalTo(sequence)).body("[0].trigger", containsString("stage RECYCLED"))
                .extract().path("[0].id");
        KafkaEvents.send(scoringTopic, lead.toString(), Fixtures.stageChanged(lead, stage, "SQL"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                        .body("status", equalTo("exited")).body("exitReason", containsString("became SQL")));
    }

    @Test
    void aStageConsumedBeforeTheCaptureEnrollsOnceTheAddressArrives() {
        UUID lead = UUID.randomUUID();
        String email = Fixtures.unique("stage-first");
        String subject = "Welcome " + UUID.randomUUID();
        Fixtures.template("welcome-" + lead, subject, "<html><body><p>Hi {lead.firstName}</p><a href=\"{unsubscribeUrl}\">unsubscribe</a></body></html>");
        String sequence = Fixtures.sequence("""
                {"name":"Welcome %s","phase":"pre-sale","trigger":{"stages":["LEAD"]},
                 "steps":[{"id":"welcome","type":"send","template":"welcome-%s"}]}""".formatted(lead, lead));

        // scoring.events overtakes capture.events: nurturing learns the stage while it knows no address
        KafkaEvents.send(scoringTopic, lead.toString(), Fixtures.stageChanged(lead, null, "LEAD"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead)
                        .then().statusCode(200).body("stage", equalTo("LEAD")));
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("leadId", lead).get("/api/nurturing/enrollments")
                .then().statusCode(200).body("size()", equalTo(0));

        KafkaEvents.send(captureTopic, lead.toString(), Fixtures.captured(lead, email, "Eve", true, "active", "Europe/Berlin", "contact"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.mailbox(email).stream().anyMatch(m -> subject.equals(m.subject())));
        // a later update of the profile (the address is known now) does not enroll again
        KafkaEvents.send(captureTopic, lead.toString(), Fixtures.captured(lead, email, "Eve", true, "active", "Europe/Berlin", "contact"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                Fixtures.mailbox(email).stream().filter(m -> subject.equals(m.subject())).count() == 1);
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("leadId", lead).get("/api/nurturing/enrollments")
                .then().statusCode(200).body("findAll { it.sequenceId == '" + sequence + "' }.size()", equalTo(1))
                .body("find { it.sequenceId == '" + sequence + "' }.trigger", containsString("stage LEAD entered"));
    }

    @Test
    void doubleOptInSendsOnlyTheConfirmation() {
        UUID lead = UUID.randomUUID();
        String email = Fixtures.unique("optin");
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, email, "Ed", false, "unconfirmed", null, "newsletter"));
        KafkaEvents.send(captureTopic, lead.toString(), Fixtures.optinRequested(lead, "https://leads.example/api/capture/optin/confirm?token=abc"));
        Fixtures.Message mail = Fixtures.awaitMail(email);
        assertTrue(mail.body().contains("https://leads.example/api/capture/optin/confirm?token=abc"), mail.body());
        assertEquals("transactional", mail.header("X-Leads-Category"));
        assertEquals(null, mail.header("List-Unsubscribe"));

        String enrollment = Fixtures.enroll(Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), "MQL")), lead);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                        .body("history.reason", hasItem("double opt-in not confirmed")));
        assertEquals(1, Fixtures.mailbox(email).size(), "only the confirmation");
    }

    @Test
    void sendWindowDefersWithTheReason() {
        UUID lead = UUID.randomUUID();
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, Fixtures.unique("window"), "Fa", true, "active", "Pacific/Kiritimati", "contact"));
        // a one-minute window on one day: closed now, opens within a week, in the lead's own zone
        java.time.ZonedDateTime local = java.time.ZonedDateTime.now(java.time.ZoneId.of("Pacific/Kiritimati")).plusHours(3);
        String day = local.getDayOfWeek().toString();
        String from = String.format("%02d:00", local.getHour());
        String to = String.format("%02d:01", local.getHour());
        String sequence = Fixtures.sequence("""
                {"name":"Window","sendWindow":{"days":["%s"],"from":"%s","to":"%s"},
                 "steps":[{"id":"hello","type":"send","template":"flow-hello"}]}""".formatted(day, from, to));
        String enrollment = Fixtures.enroll(sequence, lead);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                        .body("status", equalTo("active")).body("currentStep", equalTo("hello"))
                        .body("history.action", hasItem("deferred"))
                        .body("history.reason.toString()", containsString("outside the send window"))
                        .body("history.reason.toString()", containsString("Pacific/Kiritimati, zone from lead")));
        String due = given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment)
                .then().extract().path("nextDue");
        assertNotNull(due);
        assertEquals(local.withMinute(0).withSecond(0).withNano(0).toInstant(), java.time.Instant.parse(due));
    }

    @Test
    void erasedLeadLeavesEverySequence() {
        UUID lead = UUID.randomUUID();
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, Fixtures.unique("erase"), "Gu", true, "active", null, "contact"));
        String enrollment = Fixtures.enroll(Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), "MQL")), lead);
        KafkaEvents.send(captureTopic, lead.toString(), Fixtures.erased(lead));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                        .body("status", equalTo("exited")).body("exitReason", equalTo("erased")));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + lead).then()
                .body("erased", equalTo(true)).body("marketingBlock", equalTo("erased"));
    }

    @Test
    void frequencyCapDefersTheFourthMailAcrossTheWeek() {
        UUID lead = UUID.randomUUID();
        String email = Fixtures.unique("cap");
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, email, "Hu", true, "active", null, "contact"));
        String sequence = Fixtures.sequence("""
                {"name":"Cap","steps":[{"id":"a","type":"send","template":"flow-hello"},{"id":"b","type":"send","template":"flow-hello"},
                 {"id":"c","type":"send","template":"flow-hello"},{"id":"d","type":"send","template":"flow-hello"}]}""");
        String enrollment = Fixtures.enroll(sequence, lead);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                        .body("status", equalTo("active")).body("currentStep", equalTo("d"))
                        .body("history.reason.toString()", containsString("frequency cap: 3 marketing mails in 7 days (max 3)")));
        await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.mailbox(email).size() == 3);
        String due = given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment)
                .then().extract().path("nextDue");
        assertTrue(java.time.Instant.parse(due).isAfter(java.time.Instant.now().plus(Duration.ofDays(6))), due);
    }

    @Test
    void enrolledLeadsStayOnTheirVersionUntilMigrated() {
        UUID lead = UUID.randomUUID();
        Fixtures.lead(captureTopic, lead, Fixtures.captured(lead, Fixtures.unique("migrate"), "Ida", true, "active", null, "contact"));
        String sequence = Fixtures.sequence(FLOW.formatted(UUID.randomUUID(), "MQL"));
        String enrollment = Fixtures.enroll(sequence, lead);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                        .body("currentStep", equalTo("next")));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("""
                        {"name":"Flow v2","steps":[{"id":"hello","type":"send","template":"flow-hello"},
                         {"id":"pause","type":"wait","duration":"P1D"},{"id":"follow-up","type":"send","template":"flow-hello"}]}""")
                .put("/api/nurturing/sequences/" + sequence).then().statusCode(200).body("version", equalTo(2));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                .body("version", equalTo(1));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"fromVersion\":1,\"toVersion\":2}")
                .post("/api/nurturing/sequences/" + sequence + "/migrations").then().statusCode(422)
                .body("errors[0].field", equalTo("stepMapping.next"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"fromVersion\":1,\"toVersion\":2,\"stepMapping\":{\"next\":\"follow-up\"}}")
                .post("/api/nurturing/sequences/" + sequence + "/migrations").then().statusCode(200).body("moved", equalTo(1));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/enrollments/" + enrollment).then()
                .body("version", equalTo(2)).body("currentStep", equalTo("follow-up")).body("history.action", hasItem("migrated"));
    }
}
