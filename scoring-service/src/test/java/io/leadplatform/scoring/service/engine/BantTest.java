package io.leadplatform.scoring.service.engine;

import io.leadplatform.scoring.service.engine.Bant.Criterion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BantTest {

    private static Criterion yes() {
        return new Criterion(true, "ok");
    }

    private static Criterion no() {
        return new Criterion(false, "no");
    }

    @Test
    void threeOfFourPassesTheDefaultRule() {
        var v = new Bant(yes(), yes(), yes(), no()).evaluate(3);
        assertTrue(v.accepted());
        assertEquals(3, v.met());
        assertEquals(List.of("timing"), v.missing());
        assertEquals("BANT 3 of 4 met (at least 3); not met: timing", v.reason());
    }

    @Test
    void twoOfFourFailsAndNamesTheMissingCriteria() {
        var v = new Bant(no(), yes(), yes(), no()).evaluate(3);
        assertFalse(v.accepted());
        assertEquals(List.of("budget", "timing"), v.missing());
        assertEquals("BANT 2 of 4 met (needs at least 3); not met: budget, timing", v.reason());
    }

    @Test
    void theRuleIsConfigurable() {
        assertTrue(new Bant(yes(), no(), no(), no()).evaluate(1).accepted());
        assertFalse(new Bant(yes(), yes(), yes(), no()).evaluate(4).accepted());
        assertTrue(new Bant(yes(), yes(), yes(), yes()).evaluate(4).accepted());
        assertFalse(new Bant(null, yes(), yes(), yes()).evaluate(4).accepted(), "a missing criterion is not met");
    }
}
