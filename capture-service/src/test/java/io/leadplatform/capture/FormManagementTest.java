package io.leadplatform.capture;

import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.leadplatform.capture.FormFixtures.definition;
import static io.leadplatform.capture.FormFixtures.newKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class FormManagementTest {

    @Test
    void marketingCreatesReadsListsAndUpdatesAForm() {
        String key = newKey("drive");
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(definition(key, "\"doubleOptIn\":true,\"rateLimits\":{\"perIpPerMinute\":5}"))
                .post("/api/capture/forms")
                .then().statusCode(201)
                .header("Location", endsWith("/api/capture/forms/" + key))
                .body("key", equalTo(key))
                .body("fields", hasSize(6))
                .body("fields[2].options", hasItems("X3", "X5"))
                .body("consent.purposes", hasItems("newsletter", "marketing_email"))
                .body("doubleOptIn", equalTo(true))
                .body("offer.type", equalTo("configurator"))
                .body("rateLimits.perIpPerMinute", equalTo(5));

        given().header("Authorization", Tokens.bearer("admin")).get("/api/capture/forms/" + key)
                .then().statusCode(200).body("allowedOrigins[0]", equalTo(FormFixtures.ORIGIN))
                .body("successRedirect", equalTo("https://www.example.com/thanks"));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/forms")
                .then().statusCode(200).body("key", hasItems("contact", key));

        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(definition(key, "\"doubleOptIn\":false").replace("Test drive request", "Probefahrt"))
                .put("/api/capture/forms/" + key)
                .then().statusCode(200).body("name", equalTo("Probefahrt")).body("doubleOptIn", equalTo(false));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/forms/" + key)
                .then().statusCode(200).body("name", equalTo("Probefahrt"));
    }

    @Test
    void invalidDefinitionIs422PerFieldAndNothingIsWritten() {
        String key = newKey("bad");
        String body = """
                {"key":"%s","name":"","channel":"web site",
                 "fields":[{"name":"email","type":"email","required":true},
                           {"name":"colour","type":"dropdown"},
                           {"name":"zip","type":"text","pattern":"[0-9"},
                           {"name":"model","type":"select"},
                           {"name":"website_url","type":"text"}],
                 "consent":{"purposes":["newsletter"]},
                 "allowedOrigins":["*","https://ok.example.com/path"],
                 "successRedirect":"javascript:alert(1)",
                 "offer":{"type":"car"}}""".formatted(key);
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body(body)
                .post("/api/capture/forms")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("name", "channel", "fields[1].type", "fields[2].pattern",
                        "fields[3].options", "fields[4].name", "consent.text", "consent.version",
                        "allowedOrigins[0]", "allowedOrigins[1]", "successRedirect", "offer.type"));
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/forms/" + key)
                .then().statusCode(404).contentType("application/problem+json");

        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"key\":\"%s\",\"name\":\"No e-mail\",\"channel\":\"web\",\"fields\":[{\"name\":\"phone\",\"type\":\"phone\"}]}"
                        .formatted(key))
                .post("/api/capture/forms")
                .then().statusCode(422).body("errors.field", hasItem("fields"));

        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON).body("{\"key\": ")
                .post("/api/capture/forms").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void duplicateKeyIs409AndKeyCannotChange() {
        String key = newKey("dup");
        FormFixtures.create(key, null);
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(definition(key, null)).post("/api/capture/forms")
                .then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(definition("other-key", null)).put("/api/capture/forms/" + key)
                .then().statusCode(422).body("errors[0].field", equalTo("key"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(definition("no-such-form", null)).put("/api/capture/forms/no-such-form")
                .then().statusCode(404);
    }

    @Test
    void onlyMarketingAndAdminManageForms() {
        String key = newKey("roles");
        given().contentType(ContentType.JSON).body(definition(key, null)).post("/api/capture/forms").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(definition(key, null))
                .post("/api/capture/forms").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("partner-acme")).get("/api/capture/forms").then().statusCode(403);
        given().get("/api/capture/forms/contact").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).contentType(ContentType.JSON).body(definition("contact", null))
                .put("/api/capture/forms/contact").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/capture/forms/contact/stats").then().statusCode(403);
        given().get("/api/capture/forms/contact/stats").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/capture/forms")
                .then().statusCode(200).body("key", not(hasItem(key)));
    }
}
