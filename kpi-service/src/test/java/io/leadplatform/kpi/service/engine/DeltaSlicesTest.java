package io.leadplatform.kpi.service.engine;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The channel × campaign slices derived from a delta, on hand-computed examples. */
class DeltaSlicesTest {

    private static final LocalDate DAY = LocalDate.of(2025, 4, 1);
    private static final String ANY = RollupTable.ANY;

    @Test
    void eachRowCountsUnderItsChannelAndCampaignAndUnderAny() {
        Delta d = new Delta()
                .count(RollupTable.LEAD, List.of(DAY, "paid", "form", "spring", "", "contact"), "leads", 2)
                .count(RollupTable.LEAD, List.of(DAY, "paid", "webhook", "spring", "acme", ""), "leads", 3)
                .count(RollupTable.LEAD, List.of(DAY, "paid", "form", "autumn", "", "contact"), "leads", 5)
                .count(RollupTable.LEAD, List.of(DAY, "social", "form", "spring", "", "register"), "leads", 7)
                .count(RollupTable.LEAD, List.of(DAY, "social", "form", "spring", "", "register"), "members", 7)
                .addSlices();

        // source, partner and form are summed away: paid/spring = 2 + 3
        assertEquals(5, d.count(RollupTable.LEAD_SLICE, List.of(DAY, "paid", "spring"), "leads"));
        assertEquals(5, d.count(RollupTable.LEAD_SLICE, List.of(DAY, "paid", "autumn"), "leads"));
        assertEquals(7, d.count(RollupTable.LEAD_SLICE, List.of(DAY, "social", "spring"), "leads"));
        // any campaign of paid: 2 + 3 + 5; any channel of spring: 2 + 3 + 7; everything: 17
        assertEquals(10, d.count(RollupTable.LEAD_SLICE, List.of(DAY, "paid", ANY), "leads"));
        assertEquals(12, d.count(RollupTable.LEAD_SLICE, List.of(DAY, ANY, "spring"), "leads"));
        assertEquals(17, d.count(RollupTable.LEAD_SLICE, List.of(DAY, ANY, ANY), "leads"));
        assertEquals(7, d.count(RollupTable.LEAD_SLICE, List.of(DAY, ANY, ANY), "members"));
        // 3 channel × campaign rows + 2 channels + 2 campaigns + 1 total
        assertEquals(8, d.rows(RollupTable.LEAD_SLICE).size());
        // the monthly copy of a slice sums the days of the month
        Delta month = new Delta().count(RollupTable.LEAD, List.of(DAY.plusDays(9), "paid", "form", "spring", "", "contact"), "leads", 4)
                .count(RollupTable.LEAD, List.of(DAY, "social", "form", "spring", "", "register"), "leads", 2).addSlices().monthly();
        assertEquals(6, month.count(RollupTable.LEAD_SLICE, List.of(DAY, ANY, ANY), "leads"));
        assertEquals(4, month.count(RollupTable.LEAD_SLICE, List.of(DAY, "paid", ANY), "leads"));
    }

    @Test
    void histogramsAndDealsKeepTheirOtherKeysAndSubtractionsCancel() {
        Delta d = new Delta()
                .count(RollupTable.DURATION, List.of(DAY, Contributions.LEAD_TO_MQL, "paid", "form", "spring", "", "contact", 40), "leads", 1)
                .count(RollupTable.DURATION, List.of(DAY, Contributions.LEAD_TO_MQL, "paid", "webhook", "spring", "acme", "", 40), "leads", 1)
                .count(RollupTable.DURATION, List.of(DAY, Contributions.LEAD_TO_MQL, "paid", "webhook", "spring", "acme", "", 41), "leads", -1)
                .count(RollupTable.DEAL, List.of(DAY, "paid", "form", "spring", "", "contact", "USD", DAY), "deals", 1)
                .sum(RollupTable.DEAL, List.of(DAY, "paid", "form", "spring", "", "contact", "USD", DAY), "revenue", new BigDecimal("100.50"))
                .sum(RollupTable.DEAL, List.of(DAY, "social", "form", "", "", "contact", "USD", DAY), "revenue", new BigDecimal("-20.25"))
                .addSlices();

        assertEquals(2, d.count(RollupTable.DURATION_SLICE, List.of(DAY, Contributions.LEAD_TO_MQL, "paid", "spring", 40), "leads"));
        assertEquals(-1, d.count(RollupTable.DURATION_SLICE, List.of(DAY, Contributions.LEAD_TO_MQL, ANY, ANY, 41), "leads"));
        assertEquals(2, d.count(RollupTable.DURATION_SLICE, List.of(DAY, Contributions.LEAD_TO_MQL, ANY, ANY, 40), "leads"));
        assertEquals(new BigDecimal("100.50"), d.sum(RollupTable.DEAL_SLICE, List.of(DAY, "paid", "spring", "USD", DAY), "revenue"));
        assertEquals(new BigDecimal("80.25"), d.sum(RollupTable.DEAL_SLICE, List.of(DAY, ANY, ANY, "USD", DAY), "revenue"));
        assertEquals(1, d.count(RollupTable.DEAL_SLICE, List.of(DAY, ANY, ANY, "USD", DAY), "deals"));
    }

    @Test
    void aCampaignNamedLikeAnyCountsThereOnce() {
        Delta d = new Delta()
                .count(RollupTable.LEAD, List.of(DAY, "paid", "form", ANY, "", ""), "leads", 1)
                .count(RollupTable.LEAD, List.of(DAY, "paid", "form", "spring", "", ""), "leads", 1)
                .addSlices();

        assertEquals(2, d.count(RollupTable.LEAD_SLICE, List.of(DAY, "paid", ANY), "leads"));
        assertEquals(2, d.count(RollupTable.LEAD_SLICE, List.of(DAY, ANY, ANY), "leads"));
        assertEquals(1, d.count(RollupTable.LEAD_SLICE, List.of(DAY, ANY, "spring"), "leads"));
    }
}
