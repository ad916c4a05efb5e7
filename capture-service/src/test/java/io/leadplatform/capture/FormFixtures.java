package io.leadplatform.capture;

import io.leadplatform.testsupport.Tokens;
import io.restassured.http.ContentType;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Creates forms through the API for the forms tests. */
final class FormFixtures {

    static final String ORIGIN = "https://www.example.com";

    private FormFixtures() {
    }

    static String newKey(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String email() {
        return "visitor-" + UUID.randomUUID() + "@example.com";
    }

    /** A form with a required e-mail, a select, a pattern field and consent; extra JSON members are merged in. */
    static String definition(String key, String extra) {
        return """
                {"key":"%s","name":"Test drive request","channel":"website","campaign":"spring-launch",
                 "fields":[{"name":"email","type":"email","required":true},
                           {"name":"firstName","type":"text","required":true,"maxLength":50},
                           {"name":"model","type":"select","required":true,"options":["X3","X5"]},
                           {"name":"zip","type":"text","pattern":"[0-9]{5}"},
                           {"name":"budget","type":"number"},
                           {"name":"configuration","type":"hidden"}],
                 "consent":{"text":"Yes, send me news.","version":"news-v2","purposes":["newsletter","marketing_email"]},
                 "allowedOrigins":["%s"],
                 "successRedirect":"https://www.example.com/thanks",
                 "offer":{"type":"configurator","assetRef":"cfg-x5"}%s}"""
                .formatted(key, ORIGIN, extra == null || extra.isBlank() ? "" : "," + extra);
    }

    static void create(String key, String extra) {
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(definition(key, extra))
                .post("/api/capture/forms").then().statusCode(201);
    }
}
