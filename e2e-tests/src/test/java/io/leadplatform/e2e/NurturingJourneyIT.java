package io.leadplatform.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.testsupport.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Nurturing end to end through the gateway: marketing defines a template and a sequence, a lead from a form is
 * enrolled and gets the mail (read back from GreenMail), a scanner's click is ignored by scoring and a reader's
 * click raises the lead's engagement.
 */
class NurturingJourneyIT {

    static final String GATEWAY = System.getProperty("gateway.url", "http://127.0.0.1:8080");
    static final String GREENMAIL = System.getProperty("greenmail.api", "http://127.0.0.1:8025");
    static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = GATEWAY;
    }

    @Test
    void enrolledLeadGetsMailAndScoringCountsOnlyTheHumanClick() throws Exception {
        String marketing = Tokens.bearer("marketing");
        String template = "e2e-offer-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", marketing).contentType(ContentType.JSON)
                .body("""
                        {"name":"E2E offer","subject":"An offer for {lead.company}",
                         "html":"<html><body><p>Hello {lead.firstName}</p><a href=\\"https://acme.io/offer\\">offer</a> <a href=\\"https://acme.io/pricing\\">pricing</a></body></html>"}""")
                .put("/api/nurturing/templates/" + template).then().statusCode(201);
        String sequence = given().header("Authorization", marketing).contentType(ContentType.JSON)
                .body("""
                        {"name":"E2E nurture","steps":[{"id":"offer","type":"send","template":"%s"},{"id":"pause","type":"wait","duration":"P7D"}]}"""
                        .formatted(template))
                .post("/api/nurturing/sequences").then().statusCode(201).extract().path("id");

        String email = "nurture-" + UUID.randomUUID() + "@acme-industries.com";
        given().contentType(ContentType.JSON)
                .body("""
                        {"email":"%s","firstName":"Nora","company":"Acme Industries","jobTitle":"Head of Procurement","country":"DE",
                         "consents":[{"purpose":"newsletter","granted":true,"textVersion":"2026-11"}]}""".formatted(email))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        String leadId = given().header("Authorization", marketing).queryParam("email", email).get("/api/capture/leads")
                .then().statusCode(200).body("items", hasSize(1)).extract().path("items[0].id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().header("Authorization", marketing).get("/api/nurturing/contacts/" + leadId).then().statusCode(200));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().header("Authorization", marketing).get("/api/scoring/leads/" + leadId).then().statusCode(200));

        given().header("Authorization", marketing).contentType(ContentType.JSON).body("{\"leadIds\":[\"" + leadId + "\"]}")
                .post("/api/nurturing/sequences/" + sequence + "/enrollments").then().statusCode(200)
                .body("[0].outcome", equalTo("enrolled"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> !mails(email).isEmpty());
        String mime = mails(email).get(0).path("mimeMessage").asText();
        assertEquals("An offer for Acme Industries", mails(email).get(0).path("subject").asText());
        List<String> clicks = links(mime);
        assertFalse(clicks.size() < 3, "offer, pricing and the trap link are tracked: " + clicks);
        double before = engagement(leadId);

        // a mail scanner follows the pricing link: stored as a bot click, ignored by scoring
        given().redirects().follow(false).header("User-Agent", "Mozilla/5.0 (compatible; Barracuda Sentinel)").get(clicks.get(1))
                .then().statusCode(302);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().header("Authorization", marketing).get("/api/scoring/leads/" + leadId).then().statusCode(200)
                        .body("ignoredBotEvents.size()", greaterThan(0)));
        assertEquals(before, engagement(leadId), 0.0001, "a bot click does not score");

        // the reader clicks the offer, later than any scanner would: scoring counts it
        Thread.sleep(6000);
        given().redirects().follow(false).header("User-Agent", BROWSER).get(clicks.get(0)).then().statusCode(302)
                .header("Location", equalTo("https://acme.io/offer"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> engagement(leadId) > before);

        // no open redirect: an altered link is refused at the gateway's public path
        String altered = clicks.get(0).substring(0, clicks.get(0).length() - 2) + "xx";
        given().redirects().follow(false).get(altered).then().statusCode(400);
    }

    private static double engagement(String leadId) {
        Number n = given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/leads/" + leadId)
                .then().statusCode(200).extract().path("engagement");
        return n.doubleValue();
    }

    private static List<JsonNode> mails(String address) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(GREENMAIL + "/api/user/" + address + "/messages/")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        if (r.statusCode() == 200) {
            MAPPER.readTree(r.body()).forEach(out::add);
        }
        return out;
    }

    /** Paths of the tracked links (quoted-printable undone), in order. */
    private static List<String> links(String mime) {
        String body = mime.replaceAll("=\\r?\\n", "").replace("=3D", "=");
        Matcher m = Pattern.compile("https?://[^\"'\\s>]*(/api/nurturing/c/[A-Za-z0-9_\\-.]+)").matcher(body);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
