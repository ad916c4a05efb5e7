package io.leadplatform.nurturing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.restassured.http.ContentType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Events, API calls and GreenMail reads shared by the nurturing tests. */
final class Fixtures {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String GREENMAIL_API = System.getProperty("greenmail.api", "http://127.0.0.1:8025");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Fixtures() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "@nurturing-test.local";
    }

    /** A lead.captured event (schema-checked) with the given status, consent, first name and zone. */
    static String captured(UUID leadId, String email, String firstName, boolean consent, String status, String timeZone, String form) {
        ObjectNode e = envelope("lead.captured", leadId, "/capture-service");
        ObjectNode d = e.putObject("data");
        d.put("leadId", leadId.toString());
        d.put("email", email);
        d.put("firstName", firstName);
        d.put("company", "Acme GmbH");
        d.put("country", "DE");
        if (timeZone != null) {
            d.put("timeZone", timeZone);
        }
        d.put("source", "form");
        d.put("sourceRef", form);
        d.put("channel", "website");
        d.put("capturedAt", Instant.now().toString());
        d.put("status", status);
        d.putObject("utm");
        d.putArray("consents").addObject().put("purpose", "newsletter").put("granted", consent).put("textVersion", "v1");
        d.putObject("fields");
        EventSchemas.assertValid(e.toString());
        return e.toString();
    }

    static String stageChanged(UUID leadId, String from, String to) {
        ObjectNode e = envelope("lead.stage-changed", leadId, "/scoring-service");
        ObjectNode d = e.putObject("data");
        d.put("leadId", leadId.toString());
        if (from != null) {
            d.put("from", from);
        } else {
            d.putNull("from");
        }
        d.put("to", to);
        d.put("reason", "test");
        d.put("actor", "system");
        d.put("changedAt", Instant.now().toString());
        EventSchemas.assertValid(e.toString());
        return e.toString();
    }

    static String optinRequested(UUID leadId, String confirmUrl) {
        ObjectNode e = envelope("lead.optin-requested", leadId, "/capture-service");
        ObjectNode d = e.putObject("data");
        d.put("leadId", leadId.toString());
        d.put("formKey", "newsletter");
        d.put("confirmUrl", confirmUrl);
        d.put("expiresAt", Instant.now().plus(Duration.ofDays(2)).toString());
        EventSchemas.assertValid(e.toString());
        return e.toString();
    }

    static String erased(UUID leadId) {
        ObjectNode e = envelope("lead.erased", leadId, "/capture-service");
        e.putObject("data").put("leadId", leadId.toString()).put("erasedAt", Instant.now().toString());
        EventSchemas.assertValid(e.toString());
        return e.toString();
    }

    private static ObjectNode envelope(String type, UUID leadId, String source) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", UUID.randomUUID().toString());
        e.put("source", source);
        e.put("type", type);
        e.put("time", Instant.now().toString());
        e.put("subject", leadId.toString());
        e.put("datacontenttype", "application/json");
        return e;
    }

    /** Sends the lead and waits until nurturing has its contact. */
    static void lead(String captureTopic, UUID leadId, String json) {
        KafkaEvents.send(captureTopic, leadId.toString(), json);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/nurturing/contacts/" + leadId).then().statusCode(200));
    }

    static void template(String id, String subject, String html) {
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(MAPPER.createObjectNode().put("name", id).put("subject", subject).put("html", html).put("text", "Hi {lead.firstName}").toString())
                .put("/api/nurturing/templates/" + id).then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    /** Creates a sequence; answers its id. */
    static String sequence(String json) {
        return given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body(json)
                .post("/api/nurturing/sequences").then().statusCode(201).extract().path("id");
    }

    static String enroll(String sequenceId, UUID leadId) {
        return given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"leadIds\":[\"" + leadId + "\"]}")
                .post("/api/nurturing/sequences/" + sequenceId + "/enrollments").then().statusCode(200)
                .body("[0].outcome", org.hamcrest.Matchers.equalTo("enrolled")).extract().path("[0].enrollmentId");
    }

    /** The messages GreenMail holds for an address (raw MIME decoded from quoted-printable). */
    static List<Message> mailbox(String address) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(GREENMAIL_API + "/api/user/" + address + "/messages/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<Message> out = new ArrayList<>();
            if (r.statusCode() != 200) {
                return out;
            }
            for (JsonNode m : MAPPER.readTree(r.body())) {
                out.add(new Message(m.path("Message-ID").asText(), m.path("subject").asText(), m.path("mimeMessage").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Message awaitMail(String address) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !mailbox(address).isEmpty());
        return mailbox(address).get(0);
    }

    record Message(String messageId, String subject, String mime) {
        String header(String name) {
            Matcher m = Pattern.compile("(?mi)^" + Pattern.quote(name) + ":\\s*(.*(?:\\r?\\n[ \\t].*)*)").matcher(mime);
            return m.find() ? m.group(1).replaceAll("\\r?\\n[ \\t]+", " ").trim() : null;
        }

        /** The body with quoted-printable soft breaks and escapes undone. */
        String body() {
            String soft = mime.replaceAll("=\\r?\\n", "");
            Matcher m = Pattern.compile("=([0-9A-F]{2})").matcher(soft);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
            }
            m.appendTail(out);
            return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }

        /** The paths (from /api/nurturing) of the links in the body matching the kind ("c", "o", "unsubscribe"). */
        List<String> links(String kind) {
            Matcher m = Pattern.compile("https?://[^\"'\\s>]*(/api/nurturing/" + kind + "/[A-Za-z0-9_\\-.]+)").matcher(body());
            List<String> out = new ArrayList<>();
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }
    }
}
