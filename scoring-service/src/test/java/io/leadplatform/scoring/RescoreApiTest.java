package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.scoring.messaging.LeadEventReader;
import io.leadplatform.scoring.service.BatchScoringService;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Activation and rescore-status through the API, with this instance's background worker doing the rescoring. */
@QuarkusTest
class RescoreApiTest {

    @Inject
    Pool pool;
    @Inject
    BatchScoringService scoring;
    @Inject
    LeadEventReader reader;
    @Inject
    ObjectMapper mapper;

    @Test
    void activationRescoresEveryLeadUnderTheNewModelInTheBackground() throws Throwable {
        Rescoring r = new Rescoring(pool, scoring, reader, mapper);
        List<UUID> leads = r.leads(5);
        String[] x = Rescoring.model(2);
        try {
            Rescoring.activate(x[0]);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Rescoring.status(x[0]).body("state", equalTo("done")));
            Map<String, Object> status = Rescoring.status(x[0]).body("startedAt", notNullValue()).body("finishedAt", notNullValue())
                    .extract().path("");
            assertEquals(status.get("total"), status.get("done"), status.toString());
            assertEquals(status.get("chunks"), status.get("chunksDone"), status.toString());
            assertEquals(0, r.count("select count(*) from lead_score where merged_into is null and model_id is distinct from $1",
                    UUID.fromString(x[0])), "every lead is scored by the new model");
            for (UUID lead : leads) {
                given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + lead)
                        .then().statusCode(200).body("fit", equalTo(27)).body("grade", equalTo("B")).body("modelVersion", equalTo(x[1]));
            }
        } finally {
            Rescoring.activate(Rescoring.DEFAULT_MODEL);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Rescoring.status(Rescoring.DEFAULT_MODEL).body("state", equalTo("done")));
        }
        Rescoring.status(x[0]).body("state", equalTo("done"));
        for (UUID lead : leads) {
            given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + lead)
                    .then().statusCode(200).body("fit", equalTo(35)).body("modelVersion", equalTo("default@1"));
        }
    }

    @Test
    void aModelNeverActivatedIsIdle() {
        String[] x = Rescoring.model(3);
        Rescoring.status(x[0]).body("state", equalTo("idle")).body("total", equalTo(0)).body("done", equalTo(0));
    }

    @Test
    void activateAndStatusNeedMarketingOrAdmin() {
        String path = "/api/scoring/models/" + Rescoring.DEFAULT_MODEL;
        given().post(path + "/activate").then().statusCode(401);
        given().get(path + "/rescore-status").then().statusCode(401);
        for (String who : List.of("sales", "partner-acme")) {
            given().header("Authorization", Tokens.bearer(who)).post(path + "/activate").then().statusCode(403);
            given().header("Authorization", Tokens.bearer(who)).get(path + "/rescore-status").then().statusCode(403);
        }
        given().header("Authorization", Tokens.bearer("admin")).get(path + "/rescore-status").then().statusCode(200);
    }

    @Test
    void unknownOrMalformedModelsAreProblems() {
        String unknown = "/api/scoring/models/" + UUID.randomUUID();
        given().header("Authorization", Tokens.bearer("marketing")).post(unknown + "/activate")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).get(unknown + "/rescore-status")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("marketing")).post("/api/scoring/models/not-a-uuid/activate").then().statusCode(404);
        given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/models/not-a-uuid/rescore-status").then().statusCode(404);
        given().header("Authorization", Tokens.bearer("marketing")).post("/api/scoring/models/" + Rescoring.DEFAULT_MODEL + "/activate")
                .then().statusCode(409).contentType("application/problem+json");
    }
}
