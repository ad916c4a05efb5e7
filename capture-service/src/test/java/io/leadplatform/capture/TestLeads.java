package io.leadplatform.capture;

import io.leadplatform.testsupport.Tokens;
import io.restassured.http.ContentType;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Helpers of the identity, tracking and privacy tests: real calls through the public and staff APIs. */
final class TestLeads {

    private TestLeads() {
    }

    static String email() {
        return "tracked-" + UUID.randomUUID() + "@example.com";
    }

    static String visitor() {
        return UUID.randomUUID().toString();
    }

    /** Submits the contact form and answers the lead's id (looked up as marketing). */
    static String submit(String json) {
        given().contentType(ContentType.JSON).body(json).post("/api/capture/forms/contact/submissions")
                .then().statusCode(202);
        String email = io.restassured.path.json.JsonPath.from(json).getString("email");
        return given().header("Authorization", Tokens.bearer("marketing")).queryParam("email", email)
                .get("/api/capture/leads").then().statusCode(200).extract().path("items[0].id");
    }

    static void track(String json) {
        given().contentType(ContentType.JSON).body(json).post("/api/capture/track").then().statusCode(202);
    }

    static String pageView(String visitorId, String url, int seconds) {
        return """
                {"visitorId":"%s","type":"page_view","url":"%s","durationSeconds":%d,"occurredAt":"2026-11-20T10:00:00Z"}"""
                .formatted(visitorId, url, seconds);
    }
}
