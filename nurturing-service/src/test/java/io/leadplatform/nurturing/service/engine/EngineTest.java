package io.leadplatform.nurturing.service.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.rest.Problem.FieldError;
import io.leadplatform.nurturing.domain.SequenceDefinition;
import io.leadplatform.nurturing.service.engine.EngagementClassifier.Hit;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the engine: validation, step walking, time zones and windows, classification, signed links. */
class EngineTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final StepEngine.Facts NOTHING = new StepEngine.Facts("MQL", "B", "warm", Set.of(), Set.of(), List.of());

    static SequenceDefinition def(String json) throws Exception {
        return MAPPER.readValue(json, SequenceDefinition.class);
    }

    @Test
    void validatorNamesTheStep() throws Exception {
        List<FieldError> errors = SequenceValidator.validate(def("""
                {"name":"x","steps":[{"id":"a","type":"send","template":"t"},{"id":"a","type":"exit"}]}"""), Set.of("t"));
        assertEquals("steps[1] (a).id", errors.get(0).field());
        errors = SequenceValidator.validate(def("""
                {"name":"x","steps":[{"id":"a","type":"send","template":"t","next":"b"},{"id":"b","type":"branch","condition":{"grade":["A"]},"then":"a"}]}"""),
                Set.of("t"));
        assertEquals("steps[1] (b)", errors.get(0).field(), errors.toString());
        assertTrue(errors.get(0).message().contains("without a wait"));
        // the same loop through a wait is fine
        assertEquals(List.of(), SequenceValidator.validate(def("""
                {"name":"x","steps":[{"id":"a","type":"send","template":"t"},{"id":"w","type":"wait","duration":"P1D"},
                 {"id":"b","type":"branch","condition":{"grade":["A"]},"then":"a"}]}"""), Set.of("t")));
        errors = SequenceValidator.validate(def("""
                {"name":"x","sendWindow":{"from":"18:00","to":"09:00"},"timeZone":"Mars/Base",
                 "steps":[{"id":"b","type":"branch","condition":{"grade":["Z"],"opened":"b"},"then":"b"}]}"""), Set.of());
        List<String> fields = errors.stream().map(FieldError::field).toList();
        assertTrue(fields.containsAll(List.of("sendWindow.to", "timeZone", "steps[0] (b).condition.grade", "steps[0] (b).condition.opened",
                "steps[0] (b).condition")), fields.toString());
    }

    @Test
    void engineWalksBranchesUntilASendOrWait() throws Exception {
        SequenceDefinition d = def("""
                {"name":"x","steps":[{"id":"b","type":"branch","condition":{"clicked":"s1"},"then":"s2","else":"w"},
                 {"id":"s1","type":"send","template":"t"},{"id":"w","type":"wait","duration":"PT2H"},{"id":"s2","type":"send","template":"t"},
                 {"id":"v","type":"branch","condition":{"visited":"/pricing*"},"then":"x"},{"id":"x","type":"exit","reason":"done"}]}""");
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        StepEngine.Outcome out = StepEngine.run(d, "b", NOTHING, now, ZoneId.of("UTC"));
        StepEngine.Wait wait = assertInstanceOf(StepEngine.Wait.class, out.stop());
        assertEquals(now.plus(Duration.ofHours(2)), wait.until());
        assertEquals("s2", wait.next());
        assertEquals("branched", out.history().get(0).action());
        StepEngine.Facts clicked = new StepEngine.Facts("MQL", "B", "warm", Set.of(), Set.of("s1"), List.of("https://acme.io/pricing/enterprise"));
        StepEngine.Send send = assertInstanceOf(StepEngine.Send.class, StepEngine.run(d, "b", clicked, now, ZoneId.of("UTC")).stop());
        assertEquals("s2", send.step().id());
        assertEquals("v", send.next());
        StepEngine.Exit exit = assertInstanceOf(StepEngine.Exit.class, StepEngine.run(d, "v", clicked, now, ZoneId.of("UTC")).stop());
        assertEquals("done", exit.reason());
        // no visit: the branch falls through to the next step, which exits as well; past the last step the sequence is complete
        assertTrue(StepEngine.run(d, "v", NOTHING, now, ZoneId.of("UTC")).history().get(0).reason().startsWith("false: no visit"));
        assertInstanceOf(StepEngine.Complete.class, StepEngine.run(d, null, NOTHING, now, ZoneId.of("UTC")).stop());
    }

    @Test
    void zonesFallBackFromLeadToCountryToSequence() {
        assertEquals("lead", Schedule.zoneOf("Asia/Tokyo", "DE", "UTC").source());
        assertEquals(ZoneId.of("Europe/Berlin"), Schedule.zoneOf("Not/AZone", "de", "UTC").id());
        assertEquals(ZoneId.of("America/Chicago"), Schedule.zoneOf(null, "ZZ", "America/Chicago").id());
        assertEquals("UTC", Schedule.zoneOf(null, null, null).source());
    }

    @Test
    void waitUntilAndSendWindowUseTheLeadsZone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        Instant wed = Instant.parse("2026-12-02T12:00:00Z"); // Wednesday 21:00 in Tokyo
        assertEquals(Instant.parse("2026-12-07T01:00:00Z"), Schedule.nextWeekdayTime(wed, tokyo, DayOfWeek.MONDAY, LocalTime.of(10, 0)));
        SequenceDefinition.SendWindow office = new SequenceDefinition.SendWindow(List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"), "09:00", "17:00");
        // 21:00 Wednesday → Thursday 09:00 Tokyo
        assertEquals(Instant.parse("2026-12-03T00:00:00Z"), Schedule.nextSlot(wed, tokyo, office));
        // Friday 18:00 → Monday 09:00
        assertEquals(Instant.parse("2026-12-07T00:00:00Z"), Schedule.nextSlot(Instant.parse("2026-12-04T09:00:00Z"), tokyo, office));
        Instant inside = Instant.parse("2026-12-03T02:00:00Z"); // Thursday 11:00 Tokyo
        assertEquals(inside, Schedule.nextSlot(inside, tokyo, office));
    }

    @Test
    void classifierRules() {
        EngagementClassifier c = new EngagementClassifier(List.of("barracuda", "python-requests"), List.of("googleimageproxy"),
                List.of("17.0.0.0/8"), Duration.ofSeconds(5), 3);
        String browser = "Mozilla/5.0 (Windows NT 10.0) Chrome/120";
        Duration later = Duration.ofMinutes(3);
        assertEquals("human", c.classify(new Hit(true, "GET", browser, "203.0.113.9", later, false, 1)).classification());
        assertEquals("bot", c.classify(new Hit(true, "HEAD", browser, "203.0.113.9", later, false, 1)).classification());
        assertEquals("bot", c.classify(new Hit(true, "GET", browser, "203.0.113.9", later, true, 1)).classification());
        assertEquals("bot", c.classify(new Hit(true, "GET", browser, "203.0.113.9", Duration.ofSeconds(1), false, 1)).classification());
        assertEquals("bot", c.classify(new Hit(true, "GET", browser, "203.0.113.9", later, false, 3)).classification());
        assertEquals("bot", c.classify(new Hit(true, "GET", "python-requests/2.31", "203.0.113.9", later, false, 1)).classification());
        assertEquals("proxy", c.classify(new Hit(false, "GET", "Mozilla/5.0 (via ggpht.com GoogleImageProxy)", "66.249.1.1", later, false, 0)).classification());
        assertEquals("proxy", c.classify(new Hit(false, "GET", browser, "17.58.1.2", later, false, 0)).classification());
        assertEquals("bot", c.classify(new Hit(false, "GET", null, "203.0.113.9", later, false, 0)).classification());
    }

    @Test
    void signedTokensRejectAlteration() {
        LinkSigner signer = new LinkSigner("0123456789abcdef-secret");
        String token = signer.sign("c:id:l0:https://acme.io/");
        assertEquals("c:id:l0:https://acme.io/", signer.verify(token).orElseThrow());
        String other = new LinkSigner("another-secret-of-16+").sign("c:id:l0:https://acme.io/");
        assertTrue(signer.verify(other).isEmpty());
        assertTrue(signer.verify(token.replace(token.substring(0, 4), "YzpY")).isEmpty());
        assertTrue(signer.verify("no-dot").isEmpty());
        assertTrue(signer.verify("!!!.???").isEmpty());
    }
}
