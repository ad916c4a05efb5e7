package io.leadplatform.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.leadplatform.testsupport.EventSchemas;
import io.leadplatform.testsupport.KafkaEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class PartnerWebhookTest {

    @ConfigProperty(name = "platform.outbox.topic")
    String topic;

    private static final String MAPPING = """
            {"items":"/leads",
             "fields":{"email":"/contact/email","firstName":"/contact/first_name","lastName":"/contact/last_name",
                       "company":"/company/name","country":"/country","campaign":"/ad/campaign"},
             "extra":{"adId":"/ad/id"},
             "consents":[{"purpose":"newsletter","pointer":"/opt_in","textVersion":"adform-v2"}]}""";

    /** Registers a partner; answers its secret. */
    private static String register(String id, String channel) {
        return given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("{\"id\":\"%s\",\"name\":\"Partner %s\",\"channel\":\"%s\",\"mapping\":%s}".formatted(id, id, channel, MAPPING))
                .post("/api/capture/partners")
                .then().statusCode(201)
                .header("Location", endsWith("/api/capture/partners/" + id))
                .body("secret", startsWith("whsec_"))
                .body("mapping.fields.email", equalTo("/contact/email"))
                .extract().path("secret");
    }

    private static Response post(String partnerId, String secret, String webhookId, long timestamp, String payload) {
        try {
            String signature = new Webhook(secret).sign(webhookId, timestamp, payload);
            return given().contentType(ContentType.JSON)
                    .header("webhook-id", webhookId)
                    .header("webhook-timestamp", String.valueOf(timestamp))
                    .header("webhook-signature", signature)
                    .body(payload)
                    .post("/api/capture/webhooks/" + partnerId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static String lead(String email, String firstName, Object optIn) {
        return """
                {"contact":{"email":"%s","first_name":"%s","last_name":"Doe"},"company":{"name":"Globex"},"country":"fr",
                 "ad":{"id":"ad-42","campaign":"spring-ads"},"opt_in":%s}""".formatted(email, firstName, optIn);
    }

    @Test
    void batchIsAnsweredPerLeadStoredOnceAndEmitted() {
        String partner = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = register(partner, "paid-social");
        String known = "known-" + UUID.randomUUID() + "@example.com";
        given().contentType(ContentType.JSON).body("{\"email\":\"%s\",\"firstName\":\"Original\"}".formatted(known))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);

        String fresh = "fresh-" + UUID.randomUUID() + "@example.com";
        String payload = "{\"leads\":[" + String.join(",", List.of(
                lead(fresh, "Fiona", "true"),
                lead("not-an-email", "Bad", "true"),
                lead(known.toUpperCase(), "Overwriter", "false"),
                lead(fresh, "Again", "\"yes\""),
                "{\"contact\":{\"email\":{\"nested\":1}}}")) + "]}";
        String webhookId = "msg_" + UUID.randomUUID();
        Response first = post(partner, secret, webhookId, now(), payload);
        first.then().statusCode(200).contentType(ContentType.JSON)
                .body("webhookId", equalTo(webhookId))
                .body("accepted", equalTo(1)).body("duplicate", equalTo(2)).body("rejected", equalTo(2))
                .body("items.status", equalTo(List.of("accepted", "rejected", "duplicate", "duplicate", "rejected")))
                .body("items[0].leadId", notNullValue())
                .body("items[1].errors.field", hasItem("email"))
                .body("items[2].leadId", nullValue())
                .body("items[4].errors.field", hasItem("email"));
        String leadId = first.path("items[0].leadId");

        // the same webhook-id again: byte-identical answer, nothing new stored
        Response replay = post(partner, secret, webhookId, now(), payload);
        assertEquals(first.statusCode(), replay.statusCode());
        assertEquals(first.asString(), replay.asString());

        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", fresh).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(1))
                .body("items[0].source", equalTo("webhook")).body("items[0].sourceRef", equalTo(partner))
                .body("items[0].channel", equalTo("paid-social")).body("items[0].campaign", equalTo("spring-ads"))
                .body("items[0].country", equalTo("FR")).body("items[0].fields.adId", equalTo("ad-42"))
                .body("items[0].consents[0].purpose", equalTo("newsletter"))
                .body("items[0].consents[0].granted", equalTo(true));
        // the partner does not overwrite a lead known from another source
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", known).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(1))
                .body("items[0].firstName", equalTo("Original")).body("items[0].source", equalTo("form"));

        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/partners/" + partner + "/report")
                .then().statusCode(200)
                .body("deliveries", equalTo(1)).body("accepted", equalTo(1))
                .body("duplicate", equalTo(2)).body("rejected", equalTo(2));
        given().header("Authorization", Tokens.bearer("admin"))
                .queryParam("from", Instant.now().plusSeconds(3600).toString())
                .get("/api/capture/partners/" + partner + "/report")
                .then().statusCode(200).body("deliveries", equalTo(0)).body("accepted", equalTo(0));

        try (KafkaEvents events = KafkaEvents.read(topic)) {
            ConsumerRecord<String, String> record = events.await(r -> r.key().equals(leadId), Duration.ofSeconds(60));
            JsonNode event = EventSchemas.assertValid(record.value());
            assertEquals("lead.captured", event.get("type").asText());
            assertEquals("webhook", event.at("/data/source").asText());
            assertEquals(partner, event.at("/data/sourceRef").asText());
            assertEquals("paid-social", event.at("/data/channel").asText());
        }
    }

    @Test
    void singleLeadWithoutBatchArrayIsAccepted() {
        String partner = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = register(partner, "chatbot");
        String email = "single-" + UUID.randomUUID() + "@example.com";
        post(partner, secret, "msg_" + UUID.randomUUID(), now(), lead(email, "Sam", "null"))
                .then().statusCode(200).body("accepted", equalTo(1)).body("items[0].status", equalTo("accepted"));
        given().header("Authorization", Tokens.bearer("sales")).queryParam("email", email).get("/api/capture/leads")
                .then().statusCode(200).body("items[0].channel", equalTo("chatbot")).body("items[0].consents", hasSize(0));
    }

    @Test
    void signatureTimestampAndPartnerAreChecked() throws Exception {
        String partner = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = register(partner, "affiliate");
        String email = "sig-" + UUID.randomUUID() + "@example.com";
        String payload = lead(email, "Sig", "true");

        // wrong secret
        post(partner, PartnerSecrets.other(), "msg_" + UUID.randomUUID(), now(), payload)
                .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
        // body changed after signing
        String id = "msg_" + UUID.randomUUID();
        long ts = now();
        given().contentType(ContentType.JSON).header("webhook-id", id).header("webhook-timestamp", String.valueOf(ts))
                .header("webhook-signature", new Webhook(secret).sign(id, ts, payload))
                .body(payload.replace("Sig", "Tampered"))
                .post("/api/capture/webhooks/" + partner)
                .then().statusCode(401).contentType("application/problem+json");
        // no signature headers
        given().contentType(ContentType.JSON).body(payload).post("/api/capture/webhooks/" + partner)
                .then().statusCode(401).contentType("application/problem+json");
        // stale and future timestamps (tolerance 5 minutes)
        post(partner, secret, "msg_" + UUID.randomUUID(), now() - 301, payload)
                .then().statusCode(401).body("detail", equalTo("webhook-timestamp is more than 5 minutes old"));
        post(partner, secret, "msg_" + UUID.randomUUID(), now() + 400, payload).then().statusCode(401);
        // unknown partner: the same 401 as a wrong signature (partner ids are not disclosed)
        post("no-such-partner", secret, "msg_" + UUID.randomUUID(), now(), payload)
                .then().statusCode(401).contentType("application/problem+json");
        // nothing of the above was stored
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(0));
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/partners/" + partner + "/report")
                .then().statusCode(200).body("deliveries", equalTo(0));
        // malformed JSON with a valid signature: 400, and replayed as 400
        String bad = "{\"leads\": [";
        String badId = "msg_" + UUID.randomUUID();
        post(partner, secret, badId, now(), bad).then().statusCode(400).contentType("application/problem+json");
        post(partner, secret, badId, now(), bad).then().statusCode(400);
    }

    @Test
    void rotatedSecretReplacesTheOldOneAfterAGracePeriod() {
        String partner = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String oldSecret = register(partner, "affiliate");
        String newSecret = given().header("Authorization", Tokens.bearer("admin"))
                .post("/api/capture/partners/" + partner + "/secret")
                .then().statusCode(200).body("secret", startsWith("whsec_")).body("previousSecretValidUntil", notNullValue())
                .extract().path("secret");
        post(partner, newSecret, "msg_" + UUID.randomUUID(), now(), lead("rot1-" + UUID.randomUUID() + "@example.com", "A", "true"))
                .then().statusCode(200).body("accepted", equalTo(1));
        post(partner, oldSecret, "msg_" + UUID.randomUUID(), now(), lead("rot2-" + UUID.randomUUID() + "@example.com", "B", "true"))
                .then().statusCode(200).body("accepted", equalTo(1));
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/partners/" + partner)
                .then().statusCode(200).body("secret", nullValue()).body("name", equalTo("Partner " + partner));
    }

    @Test
    void partnerAdministrationValidatesAndUpdates() {
        String partner = "p-" + UUID.randomUUID().toString().substring(0, 8);
        register(partner, "affiliate");
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("{\"id\":\"%s\",\"name\":\"Again\",\"channel\":\"x\",\"mapping\":%s}".formatted(partner, MAPPING))
                .post("/api/capture/partners").then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("""
                        {"id":"Bad Id!","name":"","channel":"x","mapping":{"fields":{"firstName":"first","shoeSize":"/s"}}}""")
                .post("/api/capture/partners").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("id")).body("errors.field", hasItem("name"));
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("""
                        {"id":"okid-%s","name":"N","channel":"x","mapping":{"fields":{"firstName":"first","shoeSize":"/s"}}}"""
                        .formatted(UUID.randomUUID().toString().substring(0, 6)))
                .post("/api/capture/partners").then().statusCode(422)
                .body("errors.field", hasItem("mapping.fields.email"))
                .body("errors.field", hasItem("mapping.fields.firstName"))
                .body("errors.field", hasItem("mapping.fields.shoeSize"));
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("{\"name\":\"Renamed\",\"channel\":\"display\",\"active\":false,\"mapping\":%s}".formatted(MAPPING))
                .put("/api/capture/partners/" + partner).then().statusCode(200)
                .body("name", equalTo("Renamed")).body("channel", equalTo("display")).body("active", equalTo(false));
        given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body("{\"name\":\"Renamed\",\"channel\":\"display\",\"mapping\":%s}".formatted(MAPPING))
                .put("/api/capture/partners/nobody-here").then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/partners")
                .then().statusCode(200).body("id", hasItem(partner));
    }

    @Test
    void whoMayReadAndManagePartners() {
        String partner = "p-" + UUID.randomUUID().toString().substring(0, 8);
        register(partner, "affiliate");
        if (given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/partners/acme").statusCode() == 404) {
            register("acme", "affiliate");
        }
        given().get("/api/capture/partners").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/partners").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/capture/partners").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"id\":\"x-1\",\"name\":\"X\",\"channel\":\"x\",\"mapping\":%s}".formatted(MAPPING))
                .post("/api/capture/partners").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("partner-acme")).post("/api/capture/partners/acme/secret")
                .then().statusCode(403);
        // a partner reads its own record and report (claim partner_id = acme), and nobody else's
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/capture/partners/acme")
                .then().statusCode(200).body("id", equalTo("acme")).body("secret", nullValue());
        given().header("Authorization", Tokens.bearer("partner-user")).get("/api/capture/partners/acme/report")
                .then().statusCode(200).body("partnerId", equalTo("acme"));
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/capture/partners/" + partner)
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("partner-globex")).get("/api/capture/partners/acme/report")
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/partners/acme/report")
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("admin")).queryParam("from", "yesterday")
                .get("/api/capture/partners/acme/report").then().statusCode(422).body("errors[0].field", equalTo("from"));
    }

    /** Secrets that are not any partner's. */
    static final class PartnerSecrets {
        static String other() {
            return "whsec_" + java.util.Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes());
        }
    }
}
