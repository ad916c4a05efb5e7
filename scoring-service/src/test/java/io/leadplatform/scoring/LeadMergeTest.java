package io.leadplatform.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.scoring.messaging.LeadEventReader;
import io.leadplatform.scoring.service.BatchScoringService;
import io.leadplatform.scoring.service.LeadEvent;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** lead.merged: the merged lead's history moves to the survivor and counts once there; a repeat changes nothing; undo moves it back. */
@QuarkusTest
class LeadMergeTest {

    private static final String CONSUMER = "scoring.lead-profile";

    @Inject
    BatchScoringService scoring;
    @Inject
    LeadEventReader reader;
    @Inject
    ObjectMapper mapper;
    @Inject
    Pool pool;

    private final Instant now = Instant.now();

    @BeforeAll
    static void doubles() {
        RestAssured.config = RestAssured.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private LeadEvent read(String json) {
        return reader.read(IncomingEvent.parse(mapper, json));
    }

    private int process(String... events) throws Throwable {
        List<LeadEvent> batch = java.util.Arrays.stream(events).map(this::read).toList();
        return VertxContextSupport.subscribeAndAwait(() -> scoring.process(CONSUMER, batch));
    }

    private String webinar(UUID lead, int daysAgo) {
        return TestEvents.activity(UUID.randomUUID(), lead, "webinar", now.minus(daysAgo, ChronoUnit.DAYS), null, null, false);
    }

    private long rows(String sql, UUID lead) {
        return pool.preparedQuery(sql).execute(Tuple.of(lead)).await().indefinitely().iterator().next().getLong(0);
    }

    private static io.restassured.response.ValidatableResponse lead(UUID id) {
        return given().header("Authorization", Tokens.bearer("sales")).get("/api/scoring/leads/" + id).then().statusCode(200);
    }

    @Test
    void aMergeMovesTheHistoryToTheSurvivorOnceAndItsUndoMovesItBack() throws Throwable {
        UUID survivor = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        UUID mergeId = UUID.randomUUID();
        process(TestEvents.leadCaptured(UUID.randomUUID(), survivor, "s@acme-" + survivor + ".com", "website"),
                TestEvents.leadCaptured(UUID.randomUUID(), merged, "m@acme-" + merged + ".com", "website"),
                webinar(survivor, 1), webinar(merged, 1));
        double one = 20 * Math.pow(0.5, 1 / 90.0);
        lead(survivor).body("engagement", closeTo(one, 0.02)).body("engagementRules.find { it.rule == 'webinar' }.events.size()", equalTo(1));

        String merge = TestEvents.leadMerged(UUID.randomUUID(), merged, survivor, mergeId, now, false);
        // the merge, and an e-mail click for the merged lead that comes after it (nurturing's topic is not ordered with capture's)
        process(merge, TestEvents.email(UUID.randomUUID(), merged, "clicked", false, now));
        double click = 5;
        lead(survivor).body("engagement", closeTo(2 * one + click, 0.05))
                .body("engagementRules.find { it.rule == 'webinar' }.events.size()", equalTo(2));
        assertEquals(0, rows("select count(*) from lead_activity where lead_id = $1", merged));
        assertEquals(3, rows("select count(*) from lead_activity where lead_id = $1", survivor));
        assertEquals(0, rows("select count(*) from stage_transition where lead_id = $1", merged));
        // both leads' LEAD transitions once each, and MQL: together the two webinars and the click qualify the survivor
        assertEquals(3, rows("select count(*) from stage_transition where lead_id = $1", survivor));
        lead(survivor).body("stage", equalTo("MQL"));
        assertEquals(1, rows("select count(*) from lead_score where merged_into = $1", survivor));

        // the same merge event again (a redelivery) and a new event for the same merge: nothing changes
        String before = lead(survivor).extract().path("updatedAt");
        assertEquals(0, process(merge, TestEvents.leadMerged(UUID.randomUUID(), merged, survivor, mergeId, now, false)));
        lead(survivor).body("updatedAt", equalTo(before)).body("engagementRules.find { it.rule == 'webinar' }.events.size()", equalTo(2));
        assertEquals(3, rows("select count(*) from lead_activity where lead_id = $1", survivor));

        // undo: each lead gets back what was its own; the click sent for the merged lead goes back to it
        String undo = TestEvents.leadMerged(UUID.randomUUID(), merged, survivor, mergeId, now.plusSeconds(60), true);
        process(undo);
        lead(survivor).body("engagement", closeTo(one, 0.02)).body("engagementRules.find { it.rule == 'webinar' }.events.size()", equalTo(1));
        lead(merged).body("engagement", closeTo(one + click, 0.05));
        assertEquals(1, rows("select count(*) from lead_activity where lead_id = $1", survivor));
        assertEquals(2, rows("select count(*) from lead_activity where lead_id = $1", merged));
        assertEquals(1, rows("select count(*) from stage_transition where lead_id = $1", merged));
        // (the MQL it reached stays; the decay sweep may recycle it now that its engagement is low)
        assertEquals(1, rows("select count(*) from stage_transition where lead_id = $1 and from_stage is null", survivor), "only its own LEAD");
        assertEquals(0, rows("select count(*) from lead_score where merged_into = $1", survivor));
        lead(merged).body("stage", equalTo("LEAD"));

        // the undo again, and the original merge event once more after it: still undone
        assertEquals(0, process(undo, TestEvents.leadMerged(UUID.randomUUID(), merged, survivor, mergeId, now, false)));
        assertEquals(1, rows("select count(*) from lead_activity where lead_id = $1", survivor));
    }
}
