package io.leadplatform.e2e;

import io.leadplatform.testsupport.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * An anonymous visitor's tracked activity counts once they submit a form: through the gateway,
 * capture links the activity to the new lead, scoring makes it an MQL by the default model, and
 * sales take it through BANT to SQL, opportunity and a won deal (customer).
 */
class QualificationJourneyIT {

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = System.getProperty("gateway.url", "http://127.0.0.1:8080");
    }

    @Test
    void trackedVisitorBecomesMqlThenCustomer() {
        String visitorId = UUID.randomUUID().toString();
        String now = Instant.now().toString();
        String event = "{\"visitorId\":\"%s\",\"type\":\"%s\",\"url\":\"%s\",\"durationSeconds\":%d,\"occurredAt\":\"%s\"}";
        String batch = "{\"events\":[" + String.join(",",
                event.formatted(visitorId, "page_view", "https://www.example.com/pricing", 90, now),
                event.formatted(visitorId, "page_view", "https://www.example.com/pricing/enterprise", 75, now),
                event.formatted(visitorId, "download", "https://www.example.com/whitepaper.pdf", 0, now),
                event.formatted(visitorId, "download", "https://www.example.com/datasheet.pdf", 0, now),
                event.formatted(visitorId, "webinar", "https://www.example.com/webinars/roi", 0, now)) + "]}";
        given().contentType(ContentType.JSON).body(batch).post("/api/capture/track")
                .then().statusCode(202).body("recorded", equalTo(5));

        String email = "buyer-" + UUID.randomUUID() + "@globex-corp.com";
        given().contentType(ContentType.JSON)
                .body("""
                        {"email":"%s","firstName":"Hank","lastName":"Scorpio","company":"Globex","jobTitle":"CEO",
                         "phone":"+1 555 0100","country":"US","visitorId":"%s"}""".formatted(email, visitorId))
                .post("/api/capture/forms/contact/submissions").then().statusCode(202);
        String leadId = given().header("Authorization", Tokens.bearer("sales")).queryParam("email", email)
                .get("/api/capture/leads").then().statusCode(200).extract().path("items[0].id");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/leads/" + leadId)
                        .then().statusCode(200)
                        .body("stage", equalTo("MQL"))
                        .body("grade", equalTo("A"))
                        .body("mql.qualifies", equalTo(true))
                        .body("engagement", greaterThanOrEqualTo(40f)));

        String bant = """
                {"budget":{"met":true,"note":"approved"},"authority":{"met":true,"note":"CEO"},
                 "need":{"met":true,"note":"replacing spreadsheets"},"timing":{"met":false,"note":"next quarter"}}""";
        // marketing may read scores but only sales qualify leads
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body(bant)
                .post("/api/scoring/leads/" + leadId + "/accept").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("partner-acme")).contentType(ContentType.JSON).body(bant)
                .post("/api/scoring/leads/" + leadId + "/accept").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(bant)
                .post("/api/scoring/leads/" + leadId + "/accept").then().statusCode(200).body("to", equalTo("SQL"));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(bant)
                .post("/api/scoring/leads/" + leadId + "/accept").then().statusCode(409)
                .contentType("application/problem+json");

        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body("{\"note\":\"demo booked\"}")
                .post("/api/scoring/leads/" + leadId + "/opportunity").then().statusCode(200).body("to", equalTo("OPPORTUNITY"));
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body("{\"outcome\":\"won\",\"revenue\":-5,\"grossMargin\":1,\"currency\":\"EUR\"}")
                .post("/api/scoring/leads/" + leadId + "/deal").then().statusCode(422);
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON)
                .body("{\"outcome\":\"won\",\"revenue\":48000,\"grossMargin\":19500,\"currency\":\"EUR\"}")
                .post("/api/scoring/leads/" + leadId + "/deal").then().statusCode(200);

        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + leadId + "/stages")
                .then().statusCode(200)
                .body("to", contains("LEAD", "MQL", "SQL", "OPPORTUNITY", "CUSTOMER"));
    }
}
