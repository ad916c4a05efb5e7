package io.leadplatform.kpi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.kpi.messaging.KpiBatchConsumer;
import io.leadplatform.kpi.messaging.KpiEventReader;
import io.leadplatform.kpi.service.IngestService;
import io.leadplatform.kpi.service.KpiEvent;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every report on a hand-computed scenario (see the comments for the arithmetic): six leads, a merge and its
 * undo, an erasure, stage changes, two won deals (one in USD), e-mail events, visits, a cost, a partner price.
 * Then the replay: every event ingested again into emptied tables, in another order and other batches,
 * gives exactly the same reports.
 */
@QuarkusTest
class KpiScenarioTest {

    @Inject
    IngestService ingest;
    @Inject
    KpiEventReader reader;
    @Inject
    ObjectMapper mapper;
    @Inject
    Pool pool;

    // website channels are an enum: the scenario is kept apart from other tests' data by its campaign
    private final String rnd = UUID.randomUUID().toString().substring(0, 8);
    private final String c = "paid";
    private final String k = "spring-" + rnd;
    private final String p = "acme-" + rnd;
    private final String seq = "welcome-" + rnd;
    private final String org = "organic_search";
    private final UUID l1 = UUID.randomUUID();
    private final UUID l2 = UUID.randomUUID();
    private final UUID l3 = UUID.randomUUID();
    private final UUID l4 = UUID.randomUUID();
    private final UUID l5 = UUID.randomUUID();
    private final UUID l6 = UUID.randomUUID();
    /** every event fed, with the consumer (topic) it came from, in feeding order */
    private final List<Map.Entry<String, String>> fed = new ArrayList<>();

    private void feed(String consumer, List<String> events) {
        List<KpiEvent> read = new ArrayList<>();
        for (String json : events) {
            reader.read(reader.envelope(mapper, json)).ifPresent(read::add);
            fed.add(Map.entry(consumer, json));
        }
        ingest.process(consumer, read).await().indefinitely();
    }

    private static RequestSpecification marketing() {
        return given().header("Authorization", Tokens.bearer("marketing"));
    }

    private JsonPath report(String name, String... params) {
        RequestSpecification r = marketing().queryParam("from", "2025-04-01").queryParam("to", "2025-04-30").queryParam("grain", "month");
        for (int i = 0; i < params.length; i += 2) {
            r.queryParam(params[i], params[i + 1]);
        }
        return r.get("/api/kpi/reports/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static void assertDecimal(String expected, Object actual) {
        assertNotNull(actual, "expected " + expected);
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual.toString())), "expected " + expected + " but was " + actual);
    }

    private void scenario() {
        marketing().contentType("application/json").body(Map.of("rate", 0.9)).put("/api/kpi/rates/USD/2025-04").then().statusCode(200);
        marketing().contentType("application/json").body(Map.of("pricePerLead", 12.50, "creditWindowDays", 30))
                .put("/api/kpi/partners/" + p + "/price").then().statusCode(200);
        marketing().contentType("application/json")
                .body(Map.of("channel", c, "campaign", k, "from", "2025-04-01", "to", "2025-04-30", "amount", 300, "currency", "EUR"))
                .post("/api/kpi/costs").then().statusCode(201);

        feed(KpiBatchConsumer.CAPTURE, List.of(
                Events.captured(l1, "2025-04-01T10:00:00Z", c, "form", "register", k, true),
                Events.captured(l2, "2025-04-01T12:00:00Z", c, "form", "contact", k, false),
                Events.captured(l3, "2025-04-02T09:00:00Z", c, "webhook", p, k, false),
                Events.captured(l4, "2025-04-02T09:30:00Z", c, "webhook", p, k, false),
                Events.captured(l5, "2025-01-15T10:00:00Z", c, "form", "contact", k, false),
                Events.captured(l6, "2025-04-03T08:00:00Z", c, "form", "contact", k, false),
                Events.merged(l6, l1, false, "2025-04-07T00:00:00Z"),
                Events.pageView("v1-" + rnd, "s1", null, "2025-04-01T08:00:00Z", c, k, 30, true),
                Events.pageView("v1-" + rnd, "s1", null, "2025-04-01T08:01:00Z", c, k, 60, false),
                Events.pageView("v2-" + rnd, "s2", null, "2025-04-01T09:00:00Z", c, k, 10, true),
                Events.pageView("v1-" + rnd, "s3", null, "2025-04-02T08:00:00Z", c, k, 20, true),
                Events.pageView("v3-" + rnd, "s4", l1, "2025-04-01T09:00:00Z", org, null, 0, true)));
        feed(KpiBatchConsumer.SCORING, List.of(
                Events.stage(l1, "LEAD", "MQL", "2025-04-02T10:00:00Z"),
                Events.stage(l1, "MQL", "SQL", "2025-04-04T10:00:00Z"),
                Events.stage(l1, "SQL", "OPPORTUNITY", "2025-04-05T10:00:00Z"),
                Events.stage(l1, "OPPORTUNITY", "CUSTOMER", "2025-04-10T10:00:00Z"),
                Events.stage(l2, "LEAD", "MQL", "2025-04-03T12:00:00Z"),
                Events.stage(l2, "MQL", "DISQUALIFIED", "2025-04-06T12:00:00Z"),
                Events.stage(l3, "LEAD", "MQL", "2025-04-03T09:00:00Z"),
                Events.stage(l3, "MQL", "RECYCLED", "2025-04-08T09:00:00Z"),
                Events.stage(l6, "LEAD", "MQL", "2025-04-03T09:30:00Z"),
                Events.deal(l1, "1000", "400", "EUR", "2025-04-10T10:00:00Z"),
                Events.deal(l6, "500", "200", "USD", "2025-04-12T10:00:00Z")));
        feed(KpiBatchConsumer.NURTURING, List.of(
                Events.email(l1, seq, "s1", "sent", null, null, "2025-04-02T08:00:00Z"),
                Events.email(l1, seq, "s1", "delivered", null, null, "2025-04-02T08:01:00Z"),
                Events.email(l1, seq, "s1", "opened", "human", null, "2025-04-02T09:00:00Z"),
                Events.email(l1, seq, "s1", "opened", "proxy", null, "2025-04-02T09:01:00Z"),
                Events.email(l1, seq, "s1", "clicked", "bot", null, "2025-04-02T09:02:00Z"),
                Events.email(l1, seq, "s1", "clicked", "human", null, "2025-04-06T10:00:00Z"),
                Events.email(l2, seq, "s1", "sent", null, null, "2025-04-02T08:00:00Z"),
                Events.email(l2, seq, "s1", "bounced", null, "soft", "2025-04-02T08:05:00Z"),
                Events.email(l3, seq, "s1", "sent", null, null, "2025-04-02T08:00:00Z"),
                Events.email(l3, seq, "s1", "unsubscribed", null, null, "2025-04-03T08:00:00Z"),
                Events.email(l3, seq, "s1", "complained", null, null, "2025-04-03T08:00:00Z"),
                Events.email(l4, seq, "s1", "sent", null, null, "2025-04-02T08:00:00Z"),
                Events.email(l4, seq, "s1", "bounced", null, "hard", "2025-04-05T09:00:00Z")));
    }

    @Test
    void everyReportMatchesTheHandComputedScenarioAndAReplayGivesTheSameNumbers() {
        scenario();

        // leads: L1..L4 in April (L6 merged into L1 counts once), L1 registered and subscribed; 2 visitors on channel c
        JsonPath leads = report("leads", "campaign", k);
        assertEquals(4, leads.getInt("total.newLeads"));
        assertEquals(1, leads.getInt("total.newMembers"));
        assertEquals(1, leads.getInt("total.newSubscribers"));
        assertEquals(2, leads.getInt("total.visitors"));
        assertDecimal("2", leads.get("total.visitorToLead.value"));
        // quarter over quarter: Q2 4 leads, Q1 1 lead (L5): (4 - 1) / 1 = 3
        assertEquals(4, leads.getInt("quarterOverQuarter.newLeads.current"));
        assertEquals(1, leads.getInt("quarterOverQuarter.newLeads.previous"));
        assertDecimal("3", leads.get("quarterOverQuarter.newLeads.growth.value"));

        // website: sessions s1, s2, s3; 4 page views; 30 + 60 + 10 + 20 = 120 s; 120 / 3 = 40 s; 4 / 3 pages per visit
        JsonPath web = report("website", "campaign", k);
        assertEquals(2, web.getInt("total.visitors"));
        assertEquals(3, web.getInt("total.sessions"));
        assertEquals(4, web.getInt("total.pageViews"));
        assertDecimal("40", web.get("total.avgTimeOnSiteSeconds.value"));
        assertDecimal("1.333333", web.get("total.pagesPerVisit.value"));

        // funnel: LEAD 4, MQL 3 (L1, L2, L3), SQL, OPPORTUNITY, CUSTOMER 1 (L1); L3 recycled, L2 disqualified
        JsonPath funnel = report("funnel", "campaign", k);
        assertEquals(List.of(4, 3, 1, 1, 1), funnel.getList("stages.leads"));
        assertDecimal("0.75", funnel.get("conversions[0].conversion.value"));
        assertDecimal("0.333333", funnel.get("conversions[1].conversion.value"));
        assertEquals(1, funnel.getInt("recycled"));
        assertEquals(1, funnel.getInt("disqualified"));
        assertEquals(4, funnel.getInt("cohorts[0].leads"));
        // lead_to_mql: 1 day (L1), 2 days (L2), 1 day (L3): median 1 day, p90 2 days (bucket upper edges, < 5 % above)
        assertEquals("lead_to_mql", funnel.getString("cohorts[0].durations[0].metric"));
        assertEquals(3, funnel.getInt("cohorts[0].durations[0].leads"));
        double median = funnel.getDouble("cohorts[0].durations[0].medianSeconds");
        double p90 = funnel.getDouble("cohorts[0].durations[0].p90Seconds");
        assertEquals(true, median >= 86_400 && median < 86_400 * 1.05, "median " + median);
        assertEquals(true, p90 >= 172_800 && p90 < 172_800 * 1.05, "p90 " + p90);

        // money: cost 300; 4 leads -> CPL 75; 1 customer -> CPA 300; margin 400 + 200 x 0.9 = 580 -> ROI (580 - 300) / 300
        JsonPath money = report("money", "campaign", k);
        assertEquals(c, money.getString("rows[0].channel"));
        assertDecimal("300", money.get("rows[0].cost"));
        assertEquals(4, money.getInt("rows[0].newLeads"));
        assertEquals(1, money.getInt("rows[0].newCustomers"));
        assertDecimal("1450", money.get("rows[0].revenue"));
        assertDecimal("580", money.get("rows[0].grossMargin"));
        assertDecimal("75", money.get("rows[0].cpl.value"));
        assertDecimal("300", money.get("rows[0].cpa.value"));
        assertDecimal("0.933333", money.get("rows[0].roi.value"));
        assertDecimal("280", money.get("rows[0].roi.numerator"));
        assertDecimal("300", money.get("rows[0].roi.denominator"));

        // e-mail
        JsonPath email = report("email");
        Map<String, Object> step = email.getMap("steps.find { it.sequenceId == '" + seq + "' }");
        assertEquals(4, step.get("sent"));
        assertEquals(1, step.get("delivered"));
        assertEquals(1, step.get("opensHuman"));
        assertEquals(1, step.get("opensProxy"));
        assertEquals(0, step.get("opensBot"));
        assertEquals(1, step.get("clicksHuman"));
        assertEquals(1, step.get("clicksBot"));
        assertEquals(1, step.get("unsubscribes"));
        assertEquals(1, step.get("bouncesHard"));
        assertEquals(1, step.get("bouncesSoft"));
        assertEquals(1, step.get("complaints"));
        Map<String, Object> sequence = email.getMap("sequences.find { it.sequenceId == '" + seq + "' }");
        assertEquals(4, sequence.get("enrolled"));
        assertEquals(3, sequence.get("mql"));
        assertEquals(1, sequence.get("sql"));

        // partners: L3, L4 accepted; L4 bounced hard 3 days after capture (window 30): credited; 1 x 12.50 owed
        JsonPath partners = report("partners", "partner", p);
        assertEquals(2, partners.getInt("rows[0].accepted"));
        assertEquals(1, partners.getInt("rows[0].credited"));
        assertEquals(1, partners.getInt("rows[0].billable"));
        assertDecimal("12.50", partners.get("rows[0].amountOwed"));
        marketing().queryParam("from", "2025-04-01").queryParam("to", "2025-04-30").queryParam("grain", "month")
                .get("/api/kpi/partners/" + p + "/statement").then().statusCode(200).contentType(containsString("text/csv"))
                .body(containsString("partner,period,accepted,credited,billable,price_per_lead,currency,credit_window_days,amount_owed"))
                .body(containsString(p + ",2025-04-01,2,1,1,12.5,EUR,30,12.5"));

        // attribution: touches of L1 (+L6): visit (org) 04-01 09:00, capture L1 (c/k), capture L6 (c/k), human click (email/seq) 04-06
        for (String model : List.of("first_touch", "last_touch", "linear", "time_decay", "position_based")) {
            JsonPath a = report("attribution", "model", model);
            assertDecimal("1", a.get("totalCustomers"));
            assertDecimal("1450", a.get("totalRevenue"));
        }
        JsonPath position = report("attribution", "model", "position_based");
        assertDecimal("580", position.get("rows.find { it.channel == '" + org + "' }.revenue"));
        assertDecimal("290", position.get("rows.find { it.channel == '" + c + "' }.revenue"));
        assertDecimal("580", position.get("rows.find { it.channel == 'email' }.revenue"));
        assertDecimal("0.2", position.get("rows.find { it.channel == '" + c + "' }.customers"));
        assertDecimal("1450", report("attribution", "model", "last_touch").get("rows.find { it.channel == 'email' }.revenue"));

        // a redelivery changes nothing
        List<Map.Entry<String, String>> again = new ArrayList<>(fed);
        again.forEach(e -> ingest.process(e.getKey(), List.of(reader.read(reader.envelope(mapper, e.getValue())).orElseThrow()))
                .await().indefinitely());
        fed.subList(again.size(), fed.size()).clear();
        assertEquals(4, report("leads", "campaign", k).getInt("total.newLeads"));

        // an erased lead keeps its aggregates
        feed(KpiBatchConsumer.CAPTURE, List.of(Events.erased(l2, "2025-05-01T00:00:00Z")));
        assertEquals(4, report("leads", "campaign", k).getInt("total.newLeads"));
        assertNotNull(pool.preparedQuery("select erased_at from kpi_lead where lead_id = $1").execute(Tuple.of(l2)).await().indefinitely()
                .iterator().next().getValue(0));

        // the merge undone: L6 counts on its own again (5 leads, 4 MQLs); its deal goes with it, the totals stay
        feed(KpiBatchConsumer.CAPTURE, List.of(Events.merged(l6, l1, true, "2025-04-08T00:00:00Z")));
        assertEquals(List.of(5, 4, 1, 1, 1), report("funnel", "campaign", k).getList("stages.leads"));
        JsonPath first = report("attribution", "model", "first_touch");
        assertDecimal("1000", first.get("rows.find { it.channel == '" + org + "' }.revenue"));
        assertDecimal("450", first.get("rows.find { it.channel == '" + c + "' }.revenue"));
        assertDecimal("1450", first.get("totalRevenue"));

        // replay: empty tables, every event again in another order and other batches: the same numbers
        Map<String, String> before = snapshot();
        pool.query("truncate kpi_lead, kpi_touch, kpi_deal, kpi_lead_sequence, lead_rollup, duration_rollup, deal_rollup, attribution_rollup, "
                + "sequence_rollup, email_rollup, website_rollup, website_visitor, website_visitors, processed_event, lead_rollup_month, "
                + "duration_rollup_month, deal_rollup_month, attribution_rollup_month, website_rollup_month, lead_slice, duration_slice, deal_slice, "
                + "lead_slice_month, duration_slice_month, deal_slice_month").execute().await().indefinitely();
        List<Map.Entry<String, String>> shuffled = new ArrayList<>(fed);
        Collections.shuffle(shuffled, new Random(42));
        for (int i = 0; i < shuffled.size(); i += 5) {
            Map<String, List<KpiEvent>> byConsumer = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : shuffled.subList(i, Math.min(i + 5, shuffled.size()))) {
                reader.read(reader.envelope(mapper, e.getValue())).ifPresent(ev -> byConsumer.computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(ev));
            }
            byConsumer.forEach((consumer, events) -> ingest.process(consumer, events).await().indefinitely());
        }
        Map<String, String> after = snapshot();
        before.forEach((report, json) -> assertEquals(json, after.get(report), report));
    }

    private Map<String, String> snapshot() {
        Map<String, String> s = new LinkedHashMap<>();
        for (String grain : List.of("day", "week", "month", "quarter")) {
            for (String name : List.of("website", "leads", "funnel", "money", "email", "partners")) {
                s.put(name + "/" + grain, marketing().queryParam("from", "2025-01-01").queryParam("to", "2025-06-30").queryParam("grain", grain)
                        .queryParam("campaign", name.equals("email") || name.equals("partners") ? "" : k)
                        .get("/api/kpi/reports/" + name).then().statusCode(200).extract().asString());
            }
        }
        for (String model : List.of("first_touch", "last_touch", "linear", "time_decay", "position_based")) {
            s.put("attribution/" + model, marketing().queryParam("from", "2025-01-01").queryParam("to", "2025-06-30").queryParam("model", model)
                    .get("/api/kpi/reports/attribution").then().statusCode(200).extract().asString());
        }
        return s;
    }

    @Test
    void badPeriodsFiltersAndInputsAre422() {
        marketing().queryParam("grain", "year").get("/api/kpi/reports/leads").then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("grain"));
        marketing().queryParam("from", "2024-01-01").queryParam("to", "2026-06-01").get("/api/kpi/reports/funnel").then().statusCode(422)
                .body("errors[0].field", equalTo("to"));
        marketing().queryParam("from", "2025-02-01").queryParam("to", "2025-01-01").get("/api/kpi/reports/money").then().statusCode(422)
                .body("errors[0].field", equalTo("to"));
        marketing().queryParam("to", "tomorrow").get("/api/kpi/reports/website").then().statusCode(422).body("errors[0].field", equalTo("to"));
        marketing().queryParam("campaign", "x".repeat(201)).get("/api/kpi/reports/leads").then().statusCode(422)
                .body("errors[0].field", equalTo("campaign"));
        marketing().queryParam("model", "u_shaped").get("/api/kpi/reports/attribution").then().statusCode(422).body("errors[0].field", equalTo("model"));
        marketing().queryParam("cohort", "day").get("/api/kpi/reports/funnel").then().statusCode(422).body("errors[0].field", equalTo("cohort"));
        // a cost in a currency without a rate for its months is refused, and nothing is stored
        String channel = "refused-" + UUID.randomUUID();
        marketing().contentType("application/json")
                .body(Map.of("channel", channel, "from", "2031-03-01", "to", "2031-04-30", "amount", 100, "currency", "GBP"))
                .post("/api/kpi/costs").then().statusCode(422).body("errors[0].field", equalTo("currency"))
                .body("errors[0].message", containsString("2031-03"));
        marketing().contentType("application/json").body(Map.of("channel", channel, "from", "2031-03-01", "to", "2031-04-30", "amount", -1, "currency", "EUR"))
                .post("/api/kpi/costs").then().statusCode(422).body("errors[0].field", equalTo("amount"));
        marketing().queryParam("from", "2031-01-01").queryParam("to", "2031-12-31").get("/api/kpi/costs").then().statusCode(200)
                .body("findAll { it.channel == '" + channel + "' }.size()", equalTo(0));
        marketing().contentType("application/json").body(Map.of("rate", 0)).put("/api/kpi/rates/USD/2031-13").then().statusCode(422);
        marketing().contentType("application/json").body(Map.of("pricePerLead", 5, "creditWindowDays", 400)).put("/api/kpi/partners/x/price")
                .then().statusCode(422).body("errors[0].field", equalTo("creditWindowDays"));
    }

    @Test
    void onlyMarketingAndAdminReadAndEnter() {
        for (String path : List.of("/api/kpi/reports/website", "/api/kpi/reports/leads", "/api/kpi/reports/funnel", "/api/kpi/reports/money",
                "/api/kpi/reports/email", "/api/kpi/reports/partners", "/api/kpi/reports/attribution", "/api/kpi/costs", "/api/kpi/rates",
                "/api/kpi/partners/prices", "/api/kpi/partners/acme/statement")) {
            given().get(path).then().statusCode(401);
            given().header("Authorization", Tokens.bearer("sales")).get(path).then().statusCode(403);
            given().header("Authorization", Tokens.bearer("admin")).get(path).then().statusCode(200);
        }
        given().header("Authorization", Tokens.bearer("sales")).contentType("application/json")
                .body(Map.of("channel", "x", "from", "2031-03-01", "to", "2031-03-02", "amount", 1, "currency", "EUR"))
                .post("/api/kpi/costs").then().statusCode(403);
    }
}
