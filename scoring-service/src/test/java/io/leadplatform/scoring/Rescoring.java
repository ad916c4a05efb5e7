package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.scoring.messaging.LeadEventReader;
import io.leadplatform.scoring.service.BatchScoringService;
import io.leadplatform.scoring.service.LeadEvent;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Helpers of the rescoring tests: models that differ from the default in one fit rule, leads, SQL reads. */
final class Rescoring {

    static final String DEFAULT_MODEL = ScoringModelApiTest.DEFAULT_MODEL;

    private final Pool pool;
    private final BatchScoringService scoring;
    private final LeadEventReader reader;
    private final ObjectMapper mapper;

    Rescoring(Pool pool, BatchScoringService scoring, LeadEventReader reader, ObjectMapper mapper) {
        this.pool = pool;
        this.scoring = scoring;
        this.reader = reader;
        this.mapper = mapper;
    }

    /** A model like the default but "company given" is worth {@code companyPoints}; answers {id, label}. */
    static String[] model(int companyPoints) {
        Map<String, Object> definition = new HashMap<>(ScoringModelApiTest.defaultDefinition());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> fit = new ArrayList<>((List<Map<String, Object>>) definition.get("fitRules"));
        Map<String, Object> company = new HashMap<>(fit.get(0));
        company.put("points", companyPoints);
        fit.set(0, company);
        definition.put("fitRules", fit);
        String name = "rescore-" + UUID.randomUUID().toString().substring(0, 8);
        String id = given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body(Map.of("name", name, "model", definition)).post("/api/scoring/models")
                .then().statusCode(201).extract().path("id");
        return new String[]{id, name + "@1"};
    }

    static void activate(String modelId) {
        given().header("Authorization", Tokens.bearer("marketing")).post("/api/scoring/models/" + modelId + "/activate")
                .then().statusCode(200);
    }

    static io.restassured.response.ValidatableResponse status(String modelId) {
        return given().header("Authorization", Tokens.bearer("marketing")).get("/api/scoring/models/" + modelId + "/rescore-status")
                .then().statusCode(200);
    }

    /** {@code n} new leads with the test profile (fit 35 under the default model) and a webinar each, through batch scoring. */
    List<UUID> leads(int n) throws Throwable {
        List<UUID> ids = new ArrayList<>();
        List<LeadEvent> batch = new ArrayList<>();
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS);
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            batch.add(read(TestEvents.leadCaptured(UUID.randomUUID(), id, "r@acme-" + id + ".com", "website")));
            batch.add(read(TestEvents.activity(UUID.randomUUID(), id, "webinar", yesterday, null, null, false)));
        }
        VertxContextSupport.subscribeAndAwait(() -> scoring.process("scoring.lead-profile", batch));
        return ids;
    }

    /** One activity of the lead scored by the consumers' path (batch scoring, the active model). */
    void scoreActivity(UUID leadId, String type, Instant at) throws Throwable {
        List<LeadEvent> batch = List.of(read(TestEvents.activity(UUID.randomUUID(), leadId, type, at, null, null, false)));
        VertxContextSupport.subscribeAndAwait(() -> scoring.process("scoring.lead-profile", batch));
    }

    private LeadEvent read(String json) {
        return reader.read(IncomingEvent.parse(mapper, json));
    }

    List<Row> rows(String sql, Object... params) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(List.of(params))).await().indefinitely().forEach(rows::add);
        return rows;
    }

    long count(String sql, Object... params) {
        return rows(sql, params).get(0).getLong(0);
    }

    /** The job of the model's latest activation. */
    UUID job(String modelId) {
        return rows("select id from rescore_job where model_id = $1 order by created_at desc limit 1", UUID.fromString(modelId))
                .get(0).getUUID("id");
    }

    /** How many of the leads are scored by the model, with the fit it gives. */
    long onModel(List<UUID> leads, String modelId, int fit) {
        return count("select count(*) from lead_score where lead_id = any($1) and model_id = $2 and fit = $3",
                leads.toArray(UUID[]::new), UUID.fromString(modelId), fit);
    }
}
