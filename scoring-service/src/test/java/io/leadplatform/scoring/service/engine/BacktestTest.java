package io.leadplatform.scoring.service.engine;

import io.leadplatform.scoring.service.engine.Backtest.LeadOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BacktestTest {

    @Test
    void countsDistributionsAndConversionOfMqlsVsTheRest() {
        var r = Backtest.summarise(List.of(
                new LeadOutcome("A", "hot", true, true),
                new LeadOutcome("A", "hot", true, false),
                new LeadOutcome("B", "warm", true, true),
                new LeadOutcome("B", "warm", true, null),
                new LeadOutcome("D", "cold", false, false),
                new LeadOutcome("F", "cold", false, true),
                new LeadOutcome("F", "cold", false, false),
                new LeadOutcome("F", "cold", false, false)));
        assertEquals(8, r.leads());
        assertEquals(4, r.wouldBeMql());
        assertEquals(List.of(2, 2, 0, 1, 0, 3), List.copyOf(r.grades().values()));
        assertEquals(List.of(2, 2, 4), List.copyOf(r.temperatures().values()));
        assertEquals(new Backtest.Conversion(4, 3, 2, 0.6667), r.mqlConversion());
        assertEquals(new Backtest.Conversion(4, 4, 1, 0.25), r.restConversion());
    }

    @Test
    void noKnownOutcomeHasNoRate() {
        var r = Backtest.summarise(List.of(new LeadOutcome("A", "hot", true, null)));
        assertNull(r.mqlConversion().rate());
        assertEquals(0, r.restConversion().leads());
        assertNull(r.restConversion().rate());
    }
}
