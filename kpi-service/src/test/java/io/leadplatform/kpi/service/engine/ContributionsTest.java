package io.leadplatform.kpi.service.engine;

import io.leadplatform.kpi.domain.Deal;
import io.leadplatform.kpi.domain.Dims;
import io.leadplatform.kpi.domain.Enrollment;
import io.leadplatform.kpi.domain.LeadFacts;
import io.leadplatform.kpi.domain.Stage;
import io.leadplatform.kpi.domain.Touch;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a lead group adds to the rollups, on a hand-computed example. */
class ContributionsTest {

    private static final Contributions C = new Contributions(Duration.ofDays(7));
    private static final Dims DIMS = new Dims("ads", "webhook", "spring", "acme", "");
    private static final LocalDate APRIL_1 = LocalDate.of(2025, 4, 1);

    private static List<Object> key(LocalDate day) {
        return List.of(day, "ads", "webhook", "spring", "acme", "");
    }

    @Test
    void groupCountsOnceUnderTheRootWithTheMembersHistory() {
        UUID rootId = UUID.randomUUID();
        UUID mergedId = UUID.randomUUID();
        LeadFacts root = new LeadFacts(rootId);
        root.captured(Instant.parse("2025-04-01T10:00:00Z"), DIMS, false, Instant.parse("2025-04-03T00:00:00Z"));
        root.reached(Stage.SQL, Instant.parse("2025-04-04T10:00:00Z"));
        LeadFacts merged = new LeadFacts(mergedId);
        merged.captured(Instant.parse("2025-04-02T10:00:00Z"), new Dims("social", "form", "", "", "contact"), false, null);
        merged.reached(Stage.MQL, Instant.parse("2025-04-02T10:00:00Z"));
        merged.hardBounced(Instant.parse("2025-04-05T09:00:00Z"));
        merged.merged(rootId, false, Instant.parse("2025-04-06T00:00:00Z"));
        Deal deal = new Deal(UUID.randomUUID(), mergedId, true, new BigDecimal("1000"), new BigDecimal("400"), "EUR",
                Instant.parse("2025-04-10T00:00:00Z"));
        Touch capture = new Touch(UUID.randomUUID(), rootId, Instant.parse("2025-04-01T10:00:00Z"), "ads", "spring");
        Touch visit = new Touch(UUID.randomUUID(), mergedId, Instant.parse("2025-04-02T09:00:00Z"), "organic_search", "");
        Touch late = new Touch(UUID.randomUUID(), rootId, Instant.parse("2025-04-11T00:00:00Z"), "email", "seq");
        Enrollment enrolled = new Enrollment(rootId, "seq", Instant.parse("2025-04-01T12:00:00Z"));

        Delta d = C.of(new Contributions.Group(root, List.of(root, merged), List.of(capture, visit, late), List.of(deal), List.of(enrolled)));

        // one lead on the root's capture day; MQL from the member, SQL from the root (implies MQL at the latest by then)
        assertEquals(1, d.count(RollupTable.LEAD, key(APRIL_1), "leads"));
        assertEquals(1, d.count(RollupTable.LEAD, key(APRIL_1), "mql"));
        assertEquals(1, d.count(RollupTable.LEAD, key(APRIL_1), "sql"));
        assertEquals(0, d.count(RollupTable.LEAD, key(APRIL_1), "customers"));
        assertEquals(1, d.count(RollupTable.LEAD, key(LocalDate.of(2025, 4, 3)), "subscribers"));
        // capture 04-01 10:00 -> MQL 04-02 10:00: one day
        assertEquals(1, d.count(RollupTable.DURATION, List.of(APRIL_1, Contributions.LEAD_TO_MQL, "ads", "webhook", "spring", "acme", "",
                Durations.bucket(86_400)), "leads"));
        // hard bounce 3 days 23 hours after capture: credit day 3
        assertEquals(1, d.count(RollupTable.DURATION, List.of(APRIL_1, Contributions.PARTNER_CREDIT_DAYS, "ads", "webhook", "spring", "acme", "", 3),
                "leads"));
        List<Object> dealKey = List.of(APRIL_1, "ads", "webhook", "spring", "acme", "", "EUR", APRIL_1);
        assertEquals(1, d.count(RollupTable.DEAL, dealKey, "deals"));
        assertEquals(new BigDecimal("400"), d.sum(RollupTable.DEAL, dealKey, "gross_margin"));
        // enrolled 04-01 12:00, MQL 04-02 and SQL 04-04 after it
        assertEquals(1, d.count(RollupTable.SEQUENCE, List.of(APRIL_1, "seq"), "mql"));
        assertEquals(1, d.count(RollupTable.SEQUENCE, List.of(APRIL_1, "seq"), "sql"));
        // first touch (the capture at 04-01 10:00) gets the revenue; the click after the close gets nothing
        LocalDate closeDay = LocalDate.of(2025, 4, 10);
        assertEquals(new BigDecimal("1000.000000"), d.sum(RollupTable.ATTRIBUTION, List.of(closeDay, "first_touch", "ads", "spring", "EUR", APRIL_1), "revenue"));
        assertEquals(new BigDecimal("1000.000000"), d.sum(RollupTable.ATTRIBUTION, List.of(closeDay, "last_touch", "organic_search", "", "EUR", APRIL_1), "revenue"));
        assertEquals(new BigDecimal("0.500000"), d.sum(RollupTable.ATTRIBUTION, List.of(closeDay, "linear", "ads", "spring", "EUR", APRIL_1), "customers"));
        assertEquals(BigDecimal.ZERO, d.sum(RollupTable.ATTRIBUTION, List.of(closeDay, "last_touch", "email", "seq", "EUR", APRIL_1), "revenue"));
    }

    @Test
    void contributionsSubtractToNothing() {
        LeadFacts lead = new LeadFacts(UUID.randomUUID());
        lead.captured(Instant.parse("2025-04-01T10:00:00Z"), DIMS, true, null);
        lead.reached(Stage.CUSTOMER, Instant.parse("2025-04-09T10:00:00Z"));
        Contributions.Group g = new Contributions.Group(lead, List.of(lead), List.of(), List.of(), List.of());
        Delta d = C.of(g);
        assertEquals(1, d.count(RollupTable.LEAD, key(APRIL_1), "customers"));
        assertEquals(1, d.count(RollupTable.LEAD, key(APRIL_1), "opportunity"));
        assertEquals(1, d.count(RollupTable.LEAD, key(APRIL_1), "members"));
        assertTrue(d.add(C.of(g), -1).isEmpty());
    }

    @Test
    void mergeStateIsThatOfTheLatestEventWhateverTheOrder() {
        UUID survivor = UUID.randomUUID();
        LeadFacts a = new LeadFacts(UUID.randomUUID());
        a.merged(survivor, false, Instant.parse("2025-04-01T00:00:00Z"));
        a.merged(survivor, true, Instant.parse("2025-04-02T00:00:00Z"));
        LeadFacts b = new LeadFacts(a.leadId);
        b.merged(survivor, true, Instant.parse("2025-04-02T00:00:00Z"));
        b.merged(survivor, false, Instant.parse("2025-04-01T00:00:00Z"));
        assertEquals(a, b);
        assertEquals(null, a.survivorId);
    }
}
