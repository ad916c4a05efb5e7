package io.leadplatform.nurturing.webhook;

import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.leadplatform.nurturing.webhook.WebhookApi.BASE;
import static io.leadplatform.nurturing.webhook.WebhookApi.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class WebhookSubscriptionApiTest {

    @BeforeEach
    @AfterEach
    void clean() {
        WebhookApi.deleteAll();
    }

    @Test
    void adminCreatesReadsChangesAndDeletesASubscription() {
        var created = admin().contentType(ContentType.JSON)
                .body("{\"url\":\"https://crm.example.com/hooks\",\"eventTypes\":[\"lead.mql\",\"deal.closed\",\"lead.mql\"],"
                        + "\"description\":\"CRM hand-off\"}")
                .post(BASE + "/subscriptions")
                .then().statusCode(201)
                .header("Location", containsString(BASE + "/subscriptions/"))
                .body("secret", matchesPattern("whsec_[A-Za-z0-9+/]{43}="))
                .body("eventTypes", contains("lead.mql", "deal.closed"))
                .body("active", equalTo(true))
                .extract().jsonPath();
        String id = created.getString("id");

        admin().get(BASE + "/subscriptions/" + id).then().statusCode(200)
                .body("url", equalTo("https://crm.example.com/hooks"))
                .body("description", equalTo("CRM hand-off"))
                .body("secret", nullValue());
        admin().get(BASE + "/subscriptions").then().statusCode(200)
                .body("id", hasItem(id)).body("secret", not(hasItem(created.getString("secret"))));

        admin().contentType(ContentType.JSON)
                .body("{\"url\":\"http://crm.example.com/v2\",\"eventTypes\":[\"email.unsubscribed\"],\"active\":false}")
                .put(BASE + "/subscriptions/" + id)
                .then().statusCode(200)
                .body("url", equalTo("http://crm.example.com/v2"))
                .body("eventTypes", contains("email.unsubscribed"))
                .body("active", equalTo(false))
                .body("description", nullValue());

        String rotated = admin().post(BASE + "/subscriptions/" + id + "/secret").then().statusCode(200)
                .body("secret", matchesPattern("whsec_.+")).extract().path("secret");
        org.junit.jupiter.api.Assertions.assertNotEquals(created.getString("secret"), rotated);

        admin().delete(BASE + "/subscriptions/" + id).then().statusCode(204);
        admin().get(BASE + "/subscriptions/" + id).then().statusCode(404).contentType("application/problem+json");
        admin().delete(BASE + "/subscriptions/" + id).then().statusCode(404);
    }

    @Test
    void eventTypesAreListed() {
        admin().get(BASE + "/event-types").then().statusCode(200)
                .body("type", contains("lead.captured", "lead.mql", "lead.sql", "deal.closed", "email.unsubscribed",
                        "email.bounced", "email.complained"));
    }

    @Test
    void invalidSubscriptionsAre422NamingTheFieldAndStoreNothing() {
        admin().contentType(ContentType.JSON).body("{\"url\":\"ftp://crm.example.com/x\",\"eventTypes\":[\"lead.mql\"]}")
                .post(BASE + "/subscriptions")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", contains("url")).body("errors[0].message", containsString("http or https"));
        admin().contentType(ContentType.JSON).body("{\"url\":\"not a url\",\"eventTypes\":[\"lead.mql\"]}")
                .post(BASE + "/subscriptions").then().statusCode(422).body("errors.field", contains("url"));
        admin().contentType(ContentType.JSON).body("{\"url\":\"https://user:pw@crm.example.com/x\",\"eventTypes\":[\"lead.mql\"]}")
                .post(BASE + "/subscriptions").then().statusCode(422).body("errors.field", contains("url"));
        admin().contentType(ContentType.JSON)
                .body("{\"url\":\"https://crm.example.com/x\",\"eventTypes\":[\"lead.mql\",\"lead.exploded\",\"webhook.test\"]}")
                .post(BASE + "/subscriptions")
                .then().statusCode(422)
                .body("errors.field", contains("eventTypes[1]", "eventTypes[2]"))
                .body("errors[0].message", containsString("lead.exploded"));
        admin().contentType(ContentType.JSON).body("{\"url\":\"https://crm.example.com/x\",\"eventTypes\":[]}")
                .post(BASE + "/subscriptions").then().statusCode(422).body("errors.field", contains("eventTypes"));
        admin().contentType(ContentType.JSON).body("{\"eventTypes\":[\"lead.mql\"]}")
                .post(BASE + "/subscriptions").then().statusCode(422).body("errors.field", contains("url"));
        admin().contentType(ContentType.JSON).body("{\"url\":\"https://crm.example.com/x\",\"eventTypes\":\"lead.mql\"}")
                .post(BASE + "/subscriptions").then().statusCode(400).contentType("application/problem+json");
        admin().contentType(ContentType.JSON).body("{\"url\":").post(BASE + "/subscriptions")
                .then().statusCode(400).contentType("application/problem+json");
        admin().get(BASE + "/subscriptions").then().statusCode(200).body("$", hasSize(0));

        String id = WebhookApi.subscribe("https://crm.example.com/keep", "lead.sql").id();
        admin().contentType(ContentType.JSON).body("{\"url\":\"https://crm.example.com/x\",\"eventTypes\":[\"nope\"]}")
                .put(BASE + "/subscriptions/" + id).then().statusCode(422).body("errors.field", contains("eventTypes[0]"));
        admin().get(BASE + "/subscriptions/" + id).then().statusCode(200)
                .body("url", equalTo("https://crm.example.com/keep")).body("eventTypes", contains("lead.sql"));
        admin().get(BASE + "/subscriptions/" + id + "/deliveries?status=lost").then().statusCode(422)
                .body("errors.field", contains("status"));
        admin().get(BASE + "/subscriptions/" + id + "/deliveries?limit=0").then().statusCode(422)
                .body("errors.field", contains("limit"));
        admin().contentType(ContentType.JSON).body("{\"from\":\"2026-12-03T10:00:00Z\",\"to\":\"2026-12-03T09:00:00Z\"}")
                .post(BASE + "/subscriptions/" + id + "/replay").then().statusCode(422).body("errors.field", contains("to"));
        admin().contentType(ContentType.JSON).body("{}")
                .post(BASE + "/subscriptions/" + id + "/replay").then().statusCode(422).body("errors.field", contains("from", "to"));
    }

    @Test
    void onlyAdminsManageWebhooks() {
        given().get(BASE + "/subscriptions").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"url\":\"https://x.example.com\",\"eventTypes\":[\"lead.mql\"]}")
                .post(BASE + "/subscriptions").then().statusCode(401);
        for (String user : new String[] {"marketing", "sales"}) {
            given().header("Authorization", Tokens.bearer(user)).get(BASE + "/subscriptions").then().statusCode(403);
            given().header("Authorization", Tokens.bearer(user)).contentType(ContentType.JSON)
                    .body("{\"url\":\"https://x.example.com\",\"eventTypes\":[\"lead.mql\"]}")
                    .post(BASE + "/subscriptions").then().statusCode(403);
            given().header("Authorization", Tokens.bearer(user))
                    .post(BASE + "/subscriptions/" + UUID.randomUUID() + "/test").then().statusCode(403);
        }
        admin().get(BASE + "/subscriptions/" + UUID.randomUUID() + "/deliveries").then().statusCode(404);
        admin().post(BASE + "/subscriptions/" + UUID.randomUUID() + "/test").then().statusCode(404);
    }
}
