package io.leadplatform.kpi.service.engine;

import io.leadplatform.kpi.domain.CampaignCost;
import io.leadplatform.kpi.domain.ExchangeRate;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The KPI formulas on hand-computed examples. */
class FormulasTest {

    @Test
    void cplCpaRoiWithNumeratorAndDenominator() {
        Formulas.Ratio cpl = Formulas.cpl(new BigDecimal("300"), 4);
        assertEquals(new BigDecimal("75.000000"), cpl.value());
        assertEquals(new BigDecimal("300"), cpl.numerator());
        assertEquals(new BigDecimal("4"), cpl.denominator());
        assertEquals(new BigDecimal("300.000000"), Formulas.cpa(new BigDecimal("300"), 1).value());
        // ROI = (580 - 300) / 300 = 0.933333
        Formulas.Ratio roi = Formulas.roi(new BigDecimal("580"), new BigDecimal("300"));
        assertEquals(new BigDecimal("0.933333"), roi.value());
        assertEquals(new BigDecimal("280"), roi.numerator());
        // no customers: CPA undefined, not zero
        assertNull(Formulas.cpa(new BigDecimal("300"), 0).value());
        // growth from 1 to 4 = 300 %
        assertEquals(new BigDecimal("3.000000"), Formulas.growth(4, 1).value());
        assertNull(Formulas.growth(4, 0).value());
    }

    @Test
    void costIsSpreadOverItsDaysAndConvertedPerMonth() {
        // 310 USD over 2025-03-17 .. 2025-04-15 (30 days: 15 in March, 15 in April), March rate 0.9, April rate 0.8
        Money money = new Money("EUR", List.of(new ExchangeRate("USD", LocalDate.of(2025, 3, 1), new BigDecimal("0.9")),
                new ExchangeRate("USD", LocalDate.of(2025, 4, 1), new BigDecimal("0.8"))));
        CampaignCost cost = new CampaignCost(UUID.randomUUID(), "ads", "", LocalDate.of(2025, 3, 17), LocalDate.of(2025, 4, 15),
                new BigDecimal("300"), "USD", Instant.now());
        // whole cost: 150 x 0.9 + 150 x 0.8 = 255
        assertEquals(new BigDecimal("255.000000"), money.costIn(cost, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)));
        // April only: 150 x 0.8 = 120
        assertEquals(new BigDecimal("120.000000"), money.costIn(cost, LocalDate.of(2025, 4, 1), LocalDate.of(2025, 4, 30)));
        // one day of March: 10 x 0.9 = 9
        assertEquals(new BigDecimal("9.000000"), money.costIn(cost, LocalDate.of(2025, 3, 20), LocalDate.of(2025, 3, 20)));
        assertEquals(List.of(LocalDate.of(2025, 5, 1)), money.missingMonths("USD", LocalDate.of(2025, 4, 20), LocalDate.of(2025, 5, 2)));
        assertEquals(List.of(), money.missingMonths("EUR", LocalDate.of(2025, 4, 20), LocalDate.of(2025, 5, 2)));
    }

    @Test
    void percentilesFromHistogramsAreWithinFivePercent() {
        assertEquals(0, Durations.bucket(0));
        int day = Durations.bucket(86_400);
        int twoDays = Durations.bucket(172_800);
        double upperDay = Durations.upper(day);
        assertEquals(true, upperDay >= 86_400 && upperDay < 86_400 * 1.05);
        // three leads: 1 day, 1 day, 2 days: median (2nd of 3) = 1 day, p90 (3rd of 3) = 2 days
        int[] buckets = {day, twoDays};
        long[] counts = {2, 1};
        assertEquals(upperDay, Durations.percentile(buckets, counts, 0.5));
        assertEquals(Durations.upper(twoDays), Durations.percentile(buckets, counts, 0.9));
        assertNull(Durations.percentile(new int[0], new long[0], 0.5));
    }
}
