package io.leadplatform.scoring.service.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.leadplatform.scoring.service.engine.Models.model;
import static io.leadplatform.scoring.service.engine.Models.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The incremental engagement arithmetic (per-rule decayed sums) against the engine's per-event decay. */
class EngagementSumsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final Map<String, Object> PROFILE = Map.of("company", "Acme", "jobTitle", "CMO", "country", "DE",
            "email", "ann@acme.io");

    private static Activity act(String type, Instant at, String url, Integer seconds, boolean bot) {
        return new Activity(UUID.randomUUID(), type, at, url, null, seconds, bot);
    }

    private static ScoringEngine.RuleTotal total(ScoringEngine.Summary s, String rule) {
        return s.engagementTotals().stream().filter(r -> r.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void decayedSumIsTheSumOfEachEventsDecayWhateverTheOrderEventsArrive() {
        ScoringEngine engine = new ScoringEngine(model(List.of(), List.of(rule("r", "download", null, null, 10, null, 10d))));
        // 10 days old: 5 points; 20 days old: 2.5 points. The older one arrives second (anchor stays), then the
        // order is reversed (the anchor moves forward and the first sum is rescaled): both give 7.5.
        EngagementSums newerFirst = engine.emptySums(MODEL);
        engine.accumulate(newerFirst, act("download", NOW.minus(Duration.ofDays(10)), null, null, false));
        engine.accumulate(newerFirst, act("download", NOW.minus(Duration.ofDays(20)), null, null, false));
        EngagementSums olderFirst = engine.emptySums(MODEL);
        engine.accumulate(olderFirst, act("download", NOW.minus(Duration.ofDays(20)), null, null, false));
        engine.accumulate(olderFirst, act("download", NOW.minus(Duration.ofDays(10)), null, null, false));

        assertEquals(7.5, engine.summarize(Map.of(), newerFirst, NOW).engagement(), 1e-12);
        assertEquals(7.5, engine.summarize(Map.of(), olderFirst, NOW).engagement(), 1e-12);
        assertEquals(2, total(engine.summarize(Map.of(), olderFirst, NOW), "r").events());
        // ten days later every event has lost another half
        assertEquals(3.75, engine.summarize(Map.of(), olderFirst, NOW.plus(Duration.ofDays(10))).engagement(), 1e-12);
        assertEquals(NOW.minus(Duration.ofDays(10)), olderFirst.anchor());
    }

    @Test
    void capsNegativeSignalsAndRulesWithoutHalfLife() {
        ScoringEngine engine = new ScoringEngine(model(List.of(), List.of(
                rule("pv", "page_view", null, null, 2, 5d, null),
                rule("careers", "page_view", "/careers", null, -10, 30d, null))));
        EngagementSums sums = engine.emptySums(MODEL);
        for (int i = 0; i < 4; i++) {
            engine.accumulate(sums, act("page_view", NOW.minus(Duration.ofDays(400 * i)), "https://acme.io/careers", null, false));
        }
        ScoringEngine.Summary s = engine.summarize(Map.of(), sums, NOW);
        ScoringEngine.RuleTotal pv = total(s, "pv");
        ScoringEngine.RuleTotal careers = total(s, "careers");
        assertEquals(5.0, pv.points(), 1e-12, "4 × 2 without decay, capped at 5");
        assertTrue(pv.capped());
        assertEquals(4, pv.events());
        assertEquals(-30.0, careers.points(), 1e-12, "4 × −10 without decay, capped at −30");
        assertTrue(careers.capped());
        assertEquals(-25.0, s.engagement(), 1e-12);
        assertEquals("cold", s.temperature());
    }

    @Test
    void equalsTheEnginesScoreFromTheWholeHistoryWithTheSeededModel() {
        ScoringEngine engine = new ScoringEngine(Models.seededDefault());
        String[] types = {"page_view", "download", "webinar", "configurator", "chat", "form", "email_open", "email_click",
                "email_bounce", "email_unsubscribe"};
        String[] urls = {"https://acme.io/pricing", "https://acme.io/careers", "https://acme.io/blog/1", null};
        Random random = new Random(42);
        for (int lead = 0; lead < 200; lead++) {
            List<Activity> history = new ArrayList<>();
            int n = random.nextInt(120);
            for (int i = 0; i < n; i++) {
                Instant at = NOW.minus(Duration.ofSeconds(random.nextInt(3 * 365 * 86_400)));
                history.add(act(types[random.nextInt(types.length)], at, urls[random.nextInt(urls.length)], random.nextInt(180),
                        random.nextInt(10) == 0));
            }
            // activities arrive in any order (two topics, late e-mail events)
            List<Activity> arrival = new ArrayList<>(history);
            Collections.shuffle(arrival, random);
            EngagementSums sums = engine.emptySums(MODEL);
            arrival.forEach(a -> engine.accumulate(sums, a));
            // stored and read back between batches
            EngagementSums stored = engine.decodeSums(sums.encode());

            ScoringEngine.Summary expected = engine.score(PROFILE, history, NOW).summary();
            ScoringEngine.Summary incremental = engine.summarize(PROFILE, stored, NOW);
            assertEquals(expected.fit(), incremental.fit());
            assertEquals(expected.grade(), incremental.grade());
            assertEquals(expected.engagement(), incremental.engagement(), 0.0100001, "lead " + lead);
            assertEquals(expected.temperature(), incremental.temperature(), "lead " + lead);
            assertEquals(expected.engagementTotals().size(), incremental.engagementTotals().size());
            for (int r = 0; r < expected.engagementTotals().size(); r++) {
                ScoringEngine.RuleTotal e = expected.engagementTotals().get(r);
                ScoringEngine.RuleTotal i = incremental.engagementTotals().get(r);
                assertEquals(e.rule(), i.rule());
                assertEquals(e.events(), i.events(), "events of " + e.rule());
                assertEquals(e.points(), i.points(), 0.0100001, "points of " + e.rule());
                assertEquals(e.capped(), i.capped(), "cap of " + e.rule());
            }
        }
    }

    @Test
    void botOpensAndClicksAddNothing() {
        ScoringEngine engine = new ScoringEngine(Models.seededDefault());
        EngagementSums sums = engine.emptySums(MODEL);
        engine.accumulate(sums, act("email_open", NOW, null, null, true));
        engine.accumulate(sums, act("email_click", NOW, null, null, true));
        assertTrue(engine.summarize(PROFILE, sums, NOW).engagementTotals().isEmpty());
        assertNull(sums.anchor());
        engine.accumulate(sums, act("email_click", NOW.minus(Duration.ofDays(14)), null, null, false));
        assertEquals(2.5, engine.summarize(PROFILE, sums, NOW).engagement(), 1e-12, "5 points, one 14-day half-life old");
    }

    @Test
    void sumsStayFiniteOverYearsOfShortHalfLives() {
        ScoringEngine engine = new ScoringEngine(model(List.of(), List.of(rule("r", "chat", null, null, 10, null, 0.01))));
        EngagementSums sums = engine.emptySums(MODEL);
        // 0.01-day half-life: an event 1,000 days older than the anchor is 0.5^100,000 of its points
        for (int day = 0; day <= 1000; day += 100) {
            engine.accumulate(sums, act("chat", NOW.minus(Duration.ofDays(1000 - day)), null, null, false));
        }
        ScoringEngine.Summary s = engine.summarize(Map.of(), sums, NOW);
        assertEquals(10.0, s.engagement(), 1e-12, "only the latest event still counts");
        assertEquals(11, total(s, "r").events());
        assertTrue(sums.encode().matches("[0-9a-f-]{36};-?\\d+;11;[0-9.E-]+"), sums.encode());
    }

    @Test
    void anActivityDatedAfterNowIsNotExactFromTheSums() {
        ScoringEngine engine = new ScoringEngine(Models.seededDefault());
        EngagementSums sums = engine.emptySums(MODEL);
        assertTrue(sums.exactAt(NOW));
        engine.accumulate(sums, act("webinar", NOW.minus(Duration.ofDays(1)), null, null, false));
        assertTrue(sums.exactAt(NOW));
        engine.accumulate(sums, act("webinar", NOW.plus(Duration.ofMinutes(5)), null, null, false));
        assertFalse(sums.exactAt(NOW), "the engine counts a future event at age 0; the caller rescores from history");
        assertTrue(sums.exactAt(NOW.plus(Duration.ofMinutes(5))));
    }

    @Test
    void storedTextRoundTripsAndForeignTextIsRejected() {
        ScoringEngine engine = new ScoringEngine(Models.seededDefault());
        EngagementSums sums = engine.emptySums(MODEL);
        engine.accumulate(sums, act("page_view", NOW.minus(Duration.ofDays(3)), "https://acme.io/pricing", 75, false));
        EngagementSums back = engine.decodeSums(sums.encode());
        assertEquals(sums.encode(), back.encode());
        assertEquals(MODEL, back.modelId());
        assertEquals(engine.summarize(PROFILE, sums, NOW), engine.summarize(PROFILE, back, NOW));
        assertEquals(3, engine.summarize(PROFILE, back, NOW).engagementTotals().size(), "page-view, engaged-page-view, pricing-page");

        ScoringEngine other = new ScoringEngine(model(List.of(), List.of(rule("r", "chat", null, null, 10, null, 7d))));
        assertNull(other.decodeSums(sums.encode()), "another rule count");
        assertNull(engine.decodeSums(null));
        assertNull(engine.decodeSums(""));
        assertNull(engine.decodeSums("not;sums"));
        assertNull(engine.decodeSums(MODEL + ";x;1;2"));
    }
}
