package io.leadplatform.scoring.service.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leadplatform.scoring.service.engine.Models.fit;
import static io.leadplatform.scoring.service.engine.Models.model;
import static io.leadplatform.scoring.service.engine.Models.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoringEngineTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static int fitOf(ModelDefinition.FitRule rule, Map<String, Object> profile) {
        return new ScoringEngine(model(List.of(rule), List.of())).score(profile, List.of(), NOW).fit();
    }

    private static Activity act(String type, Duration age, String url, Integer seconds, boolean bot) {
        return new Activity(UUID.randomUUID(), type, NOW.minus(age), url, null, seconds, bot);
    }

    @Test
    void equalsIgnoresCaseAndBlankIsAbsent() {
        var rule = fit("de", "country", "equals", "DE", null, null, null, 7);
        assertEquals(7, fitOf(rule, Map.of("country", "de")));
        assertEquals(0, fitOf(rule, Map.of("country", "FR")));
        assertEquals(0, fitOf(rule, Map.of("country", "  ")));
        assertEquals(0, fitOf(rule, Map.of()));
    }

    @Test
    void oneOfContainsAndRegex() {
        assertEquals(5, fitOf(fit("r", "industry", "one_of", null, List.of("Software", "SaaS"), null, null, 5), Map.of("industry", "saas")));
        assertEquals(0, fitOf(fit("r", "industry", "one_of", null, List.of("Software"), null, null, 5), Map.of("industry", "Retail")));
        assertEquals(4, fitOf(fit("r", "company", "contains", "gmbh", null, null, null, 4), Map.of("company", "Acme GmbH")));
        assertEquals(0, fitOf(fit("r", "company", "contains", "inc", null, null, null, 4), Map.of("company", "Acme GmbH")));
        assertEquals(3, fitOf(fit("r", "jobTitle", "regex", "^(head|vp) of", null, null, null, 3), Map.of("jobTitle", "Head of Marketing")));
        assertEquals(0, fitOf(fit("r", "jobTitle", "regex", "^(head|vp) of", null, null, null, 3), Map.of("jobTitle", "Intern")));
    }

    @Test
    void numericRangeIsInclusiveAndReadsCustomFields() {
        var rule = fit("size", "employees", "range", null, null, 50d, 500d, 10);
        assertEquals(10, fitOf(rule, Map.of("employees", 50)));
        assertEquals(10, fitOf(rule, Map.of("employees", "500")));
        assertEquals(0, fitOf(rule, Map.of("employees", 501)));
        assertEquals(0, fitOf(rule, Map.of("employees", 49)));
        assertEquals(0, fitOf(rule, Map.of("employees", "many")));
        assertEquals(10, fitOf(rule, Map.of("fields", Map.of("employees", "120"))), "custom form fields are read too");
        assertEquals(10, fitOf(fit("open", "employees", "range", null, null, 1000d, null, 10), Map.of("employees", 5000)));
    }

    @Test
    void helpersReadTheirDefaultFields() {
        assertEquals(8, fitOf(fit("size", null, "company_size", null, null, 100d, null, 8), Map.of("companySize", 250)));
        assertEquals(6, fitOf(fit("title", null, "job_title", null, List.of("cmo", "head of"), null, null, 6), Map.of("jobTitle", "Head Of Growth")));
        assertEquals(0, fitOf(fit("title", null, "job_title", null, List.of("cmo"), null, null, 6), Map.of("jobTitle", "Student")));
        assertEquals(2, fitOf(fit("ind", null, "industry", null, List.of("manufacturing"), null, null, 2), Map.of("industry", "Manufacturing")));
        assertEquals(9, fitOf(fit("dach", null, "country", null, List.of("DE", "AT", "CH"), null, null, 9), Map.of("country", "CH")));
        assertEquals(-10, fitOf(fit("free", null, "free_mail_domain", null, null, null, null, -10), Map.of("email", "x@GMAIL.com")));
        assertEquals(0, fitOf(fit("free", null, "free_mail_domain", null, null, null, null, -10), Map.of("email", "x@acme.com")));
        assertEquals(10, fitOf(fit("biz", null, "business_email", null, null, null, null, 10), Map.of("email", "x@acme.com")));
        assertEquals(0, fitOf(fit("biz", null, "business_email", null, null, null, null, 10), Map.of("email", "x@gmx.de")));
        assertEquals(0, fitOf(fit("biz", null, "business_email", null, null, null, null, 10), Map.of("email", "no-at-sign")));
        assertEquals(0, fitOf(fit("present", "phone", "present", null, null, null, null, 5), Map.of()));
    }

    @Test
    void negativeFitPointsSubtract() {
        var engine = new ScoringEngine(model(List.of(
                fit("company", "company", "present", null, null, null, null, 30),
                fit("free", null, "free_mail_domain", null, null, null, null, -15)), List.of()));
        var s = engine.score(Map.of("company", "Acme", "email", "a@gmail.com"), List.of(), NOW);
        assertEquals(15, s.fit());
        assertEquals("D", s.grade());
        assertEquals(2, s.fitContributions().size());
    }

    @Test
    void gradeBandsAreInclusiveLowerBoundsAndBelowAllIsF() {
        var engine = new ScoringEngine(model(List.of(), List.of()));
        assertEquals("A", engine.grade(40));
        assertEquals("A", engine.grade(100));
        assertEquals("B", engine.grade(39));
        assertEquals("B", engine.grade(30));
        assertEquals("C", engine.grade(20));
        assertEquals("D", engine.grade(10));
        assertEquals("E", engine.grade(1));
        assertEquals("F", engine.grade(0));
        assertEquals("F", engine.grade(-20));
    }

    @Test
    void decayHalvesAtEachHalfLife() {
        assertEquals(10.0, ScoringEngine.decay(10, 7d, NOW, NOW), 1e-12);
        assertEquals(5.0, ScoringEngine.decay(10, 7d, NOW.minus(Duration.ofDays(7)), NOW), 1e-12);
        assertEquals(2.5, ScoringEngine.decay(10, 7d, NOW.minus(Duration.ofDays(14)), NOW), 1e-12);
        assertEquals(10 * Math.pow(0.5, 0.5), ScoringEngine.decay(10, 7d, NOW.minus(Duration.ofHours(84)), NOW), 1e-12);
        assertEquals(-5.0, ScoringEngine.decay(-10, 1d, NOW.minus(Duration.ofDays(1)), NOW), 1e-12);
        assertEquals(10.0, ScoringEngine.decay(10, null, NOW.minus(Duration.ofDays(900)), NOW), 1e-12, "no half-life: no decay");
        assertEquals(10.0, ScoringEngine.decay(10, 7d, NOW.plus(Duration.ofHours(1)), NOW), 1e-12, "future counts as age 0");
    }

    @Test
    void engagementSumsDecayedPointsPerEventAndCapsPerRule() {
        var engine = new ScoringEngine(model(List.of(), List.of(rule("dl", "download", null, null, 10, 22d, 10d))));
        List<Activity> acts = List.of(act("download", Duration.ZERO, null, null, false),
                act("download", Duration.ofDays(10), null, null, false));
        var s = engine.score(Map.of(), acts, NOW);
        assertEquals(15.0, s.engagement(), 1e-9);
        var c = s.engagementContributions().get(0);
        assertEquals(20.0, c.rawPoints(), 1e-9);
        assertEquals(15.0, c.decayedPoints(), 1e-9);
        assertFalse(c.capped());
        assertEquals(List.of(10.0, 5.0), c.events().stream().map(ScoringEngine.EventContribution::decayedPoints).toList());

        List<Activity> many = new ArrayList<>(acts);
        many.add(act("download", Duration.ZERO, null, null, false));
        var capped = engine.score(Map.of(), many, NOW).engagementContributions().get(0);
        assertTrue(capped.capped());
        assertEquals(22.0, capped.points(), 1e-9);
        assertEquals(25.0, capped.decayedPoints(), 1e-9);
        assertEquals(30.0, capped.rawPoints(), 1e-9);
    }

    @Test
    void negativeRulesAreCappedToMinusCap() {
        var engine = new ScoringEngine(model(List.of(), List.of(
                rule("pv", "page_view", null, null, 2, null, null),
                rule("careers", "page_view", "/careers", null, -10, 15d, null))));
        List<Activity> acts = List.of(act("page_view", Duration.ZERO, "https://x.io/careers/dev", null, false),
                act("page_view", Duration.ZERO, "https://x.io/careers/ops", null, false),
                act("page_view", Duration.ZERO, "https://x.io/pricing", null, false));
        var s = engine.score(Map.of(), acts, NOW);
        assertEquals(6 - 15, s.engagement(), 1e-9);
        var careers = s.engagementContributions().get(1);
        assertEquals(-20.0, careers.decayedPoints(), 1e-9);
        assertEquals(-15.0, careers.points(), 1e-9);
        assertTrue(careers.capped());
    }

    @Test
    void minimumTimeOnPageAndUrlPattern() {
        var engine = new ScoringEngine(model(List.of(), List.of(rule("long", "page_view", "pricing", 60, 5, null, null))));
        assertEquals(5.0, engine.score(Map.of(), List.of(act("page_view", Duration.ZERO, "/pricing", 60, false)), NOW).engagement());
        assertEquals(0.0, engine.score(Map.of(), List.of(act("page_view", Duration.ZERO, "/pricing", 59, false)), NOW).engagement());
        assertEquals(0.0, engine.score(Map.of(), List.of(act("page_view", Duration.ZERO, "/pricing", null, false)), NOW).engagement());
        assertEquals(0.0, engine.score(Map.of(), List.of(act("page_view", Duration.ZERO, "/blog", 600, false)), NOW).engagement());
        assertEquals(0.0, engine.score(Map.of(), List.of(act("download", Duration.ZERO, "/pricing", 600, false)), NOW).engagement());
    }

    @Test
    void botOpensAndClicksNeverScoreButAreListed() {
        var engine = new ScoringEngine(model(List.of(), List.of(rule("open", "email_open", null, null, 1, null, null),
                rule("click", "email_click", null, null, 5, null, null), rule("any", null, null, null, 1, null, null))));
        Activity botOpen = act("email_open", Duration.ZERO, null, null, true);
        Activity botClick = act("email_click", Duration.ZERO, "https://x.io", null, true);
        Activity humanClick = act("email_click", Duration.ZERO, "https://x.io", null, false);
        var s = engine.score(Map.of(), List.of(botOpen, botClick, humanClick), NOW);
        assertEquals(6.0, s.engagement(), 1e-9, "only the human click scores (click rule + any rule)");
        assertEquals(List.of(botOpen.eventId(), botClick.eventId()), s.ignoredBotEvents());
    }

    @Test
    void temperatureThresholds() {
        var engine = new ScoringEngine(model(List.of(), List.of()));
        assertEquals("cold", engine.temperature(19.99));
        assertEquals("warm", engine.temperature(20));
        assertEquals("warm", engine.temperature(49.99));
        assertEquals("hot", engine.temperature(50));
    }

    @Test
    void mqlNeedsBothGradeAndEngagementAndSaysWhich() {
        var engine = new ScoringEngine(model(List.of(), List.of()));
        assertTrue(engine.mql("A", 40).mql());
        assertTrue(engine.mql("B", 40).mql());
        var lowGrade = engine.mql("C", 80);
        assertFalse(lowGrade.mql());
        assertFalse(lowGrade.gradePasses());
        assertTrue(lowGrade.engagementPasses());
        assertEquals("grade C is below the minimum B; engagement 80.00 meets the threshold 40.00", lowGrade.reason());
        var cold = engine.mql("A", 39.99);
        assertFalse(cold.mql());
        assertTrue(cold.gradePasses());
        assertEquals("grade A meets the minimum B; engagement 39.99 is below the threshold 40.00", cold.reason());
    }

    @Test
    void invalidModelCannotBuildAnEngine() {
        assertThrows(IllegalArgumentException.class, () -> new ScoringEngine(new ModelDefinition(List.of(), List.of(), List.of(),
                new ModelDefinition.Temperatures(50, 20), new ModelDefinition.MqlThreshold("B", 40))));
    }

    @Test
    void seededDefaultModelKeepsTheSkeletonsFitScores() {
        var engine = new ScoringEngine(Models.seededDefault());
        var full = engine.score(Map.of("email", "ann@acme.com", "company", "Acme", "jobTitle", "CMO",
                "phone", "+49 30 1234", "country", "DE"), List.of(), NOW);
        assertEquals(40, full.fit());
        assertEquals("A", full.grade());
        assertEquals(5, full.fitContributions().size());
        var freeMail = engine.score(Map.of("email", "someone@gmail.com"), List.of(), NOW);
        assertEquals(0, freeMail.fit());
        assertEquals("F", freeMail.grade());
        var blank = engine.score(Map.of("email", "x@gmail.com", "company", "  ", "country", "FR"), List.of(), NOW);
        assertEquals(5, blank.fit());
        assertEquals("E", blank.grade());
        assertEquals("B", engine.grade(34));
        assertEquals("C", engine.grade(15));
        assertEquals("D", engine.grade(10));
        assertEquals("cold", full.temperature());
        assertEquals(0.0, full.engagement());
    }

    @Test
    void seededDefaultModelMakesAnEngagedGradeALeadAnMql() {
        var engine = new ScoringEngine(Models.seededDefault());
        List<Activity> acts = List.of(act("webinar", Duration.ofDays(1), null, null, false),
                act("download", Duration.ofDays(2), null, null, false),
                act("page_view", Duration.ofHours(1), "https://acme.io/pricing", 90, false));
        var s = engine.score(Map.of("email", "ann@acme.com", "company", "Acme", "jobTitle", "CMO", "country", "DE"), acts, NOW);
        assertEquals("A", s.grade());
        assertTrue(s.engagement() >= 40, "engagement " + s.engagement());
        assertTrue(s.mql().mql());
    }
}
