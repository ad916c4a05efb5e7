package io.leadplatform.scoring;

import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class ScoringModelApiTest {

    static final String DEFAULT_MODEL = "00000000-0000-0000-0000-000000000001";

    static Map<String, Object> defaultDefinition() {
        return given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/models/" + DEFAULT_MODEL)
                .then().statusCode(200).extract().path("model");
    }

    private static int modelCount() {
        return given().header("Authorization", Tokens.bearer("admin")).get("/api/scoring/models")
                .then().statusCode(200).extract().path("size()");
    }

    @Test
    void defaultModelIsSeededAndActive() {
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/models/" + DEFAULT_MODEL)
                .then().statusCode(200)
                .body("name", equalTo("default"))
                .body("version", equalTo(1))
                .body("model.fitRules", hasSize(5))
                .body("model.gradeBands[0].grade", equalTo("A"))
                .body("model.mql.minGrade", equalTo("B"));
    }

    @Test
    void savingTheSameNameMakesANewVersionAndActivationRescoresInTheBackground() {
        Map<String, Object> definition = defaultDefinition();
        String first = given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("name", "same-as-default", "model", definition))
                .post("/api/scoring/models")
                .then().statusCode(201).header("Location", notNullValue())
                .body("version", equalTo(1)).body("active", equalTo(false)).body("createdBy", equalTo("marketing"))
                .extract().path("id");
        String second = given().header("Authorization", Tokens.bearer("admin")).contentType(ContentType.JSON)
                .body(Map.of("name", "same-as-default", "model", definition))
                .post("/api/scoring/models")
                .then().statusCode(201).body("version", equalTo(2)).extract().path("id");
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/models/" + first)
                .then().statusCode(200).body("version", equalTo(1)).body("model.engagementRules", hasSize(13));

        try {
            given().header("Authorization", Tokens.bearer("marketing")).post("/api/scoring/models/" + second + "/activate")
                    .then().statusCode(200).body("active", equalTo(true));
            List<Boolean> active = given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/models")
                    .then().statusCode(200).extract().path("active");
            assertEquals(1, active.stream().filter(Boolean::booleanValue).count(), "exactly one model is active");
            given().header("Authorization", Tokens.bearer("marketing")).post("/api/scoring/models/" + second + "/activate")
                    .then().statusCode(409).contentType("application/problem+json");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/models/" + second + "/rescore-status")
                            .then().statusCode(200).body("state", equalTo("done")));
            Map<String, Object> status = given().header("Authorization", Tokens.bearer("marketing"))
                    .get("/api/scoring/models/" + second + "/rescore-status").then().extract().path("");
            assertEquals(status.get("total"), status.get("done"));
        } finally {
            given().header("Authorization", Tokens.bearer("admin")).post("/api/scoring/models/" + DEFAULT_MODEL + "/activate")
                    .then().statusCode(200);
        }
    }

    @Test
    void invalidModelIs422PerFieldAndNothingIsSaved() {
        int before = modelCount();
        Map<String, Object> bad = Map.of(
                "fitRules", List.of(Map.of("id", "t", "field", "jobTitle", "operator", "regex", "value", "([a-z", "points", 5)),
                "gradeBands", List.of(),
                "engagementRules", List.of(Map.of("id", "x", "activityType", "teleport", "points", 3, "cap", -1)),
                "temperatures", Map.of("hot", 10, "warm", 20),
                "mql", Map.of("minGrade", "B", "minEngagement", 40));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("name", "broken", "model", bad))
                .post("/api/scoring/models")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("model.fitRules[0].value", "model.gradeBands", "model.engagementRules[0].activityType",
                        "model.engagementRules[0].cap", "model.temperatures.hot"));
        Map<String, Object> overlapping = new java.util.HashMap<>(defaultDefinition());
        overlapping.put("gradeBands", List.of(Map.of("grade", "A", "minFit", 10), Map.of("grade", "B", "minFit", 20)));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("name", "overlap", "model", overlapping))
                .post("/api/scoring/models")
                .then().statusCode(422).body("errors[0].field", equalTo("model.gradeBands[0].minFit"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("name", "Bad Name!", "model", defaultDefinition()))
                .post("/api/scoring/models")
                .then().statusCode(422).body("errors[0].field", equalTo("name"));
        given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"model\": {\"gradeBands\": \"nope\"}}")
                .post("/api/scoring/models")
                .then().statusCode(400).contentType("application/problem+json");
        assertEquals(before, modelCount(), "a refused model leaves nothing behind");
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/models/" + java.util.UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void modelsAreForMarketingAndAdminOnly() {
        given().get("/api/scoring/models").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/models").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("partner-acme")).contentType(ContentType.JSON)
                .body(Map.of("name", "p", "model", Map.of())).post("/api/scoring/models").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("sales")).post("/api/scoring/models/" + DEFAULT_MODEL + "/activate")
                .then().statusCode(403);
        given().contentType(ContentType.JSON).body("{}").post("/api/scoring/models/backtest").then().statusCode(401);
    }
}
