package io.leadplatform.scoring.service.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Summarises a candidate model's replay: MQL count, grade and temperature distribution, conversion of would-be MQLs vs the rest. */
public final class Backtest {

    private Backtest() {
    }

    /** One lead as the candidate would score it; {@code converted} null when the outcome is not known yet. */
    public record LeadOutcome(String grade, String temperature, boolean mql, Boolean converted) {
    }

    /** Leads with a known outcome in a group, how many converted, and the rate (null without known outcomes). */
    public record Conversion(int leads, int withOutcome, int converted, Double rate) {
    }

    public record Result(int leads, int wouldBeMql, Map<String, Integer> grades, Map<String, Integer> temperatures,
                         Conversion mqlConversion, Conversion restConversion) {
    }

    public static Result summarise(List<LeadOutcome> outcomes) {
        Map<String, Integer> grades = new LinkedHashMap<>();
        ScoringEngine.GRADES.forEach(g -> grades.put(g, 0));
        Map<String, Integer> temperatures = new LinkedHashMap<>();
        List.of("hot", "warm", "cold").forEach(t -> temperatures.put(t, 0));
        outcomes.forEach(o -> {
            grades.merge(o.grade(), 1, Integer::sum);
            temperatures.merge(o.temperature(), 1, Integer::sum);
        });
        List<LeadOutcome> mql = outcomes.stream().filter(LeadOutcome::mql).toList();
        List<LeadOutcome> rest = outcomes.stream().filter(o -> !o.mql()).toList();
        return new Result(outcomes.size(), mql.size(), grades, temperatures, conversion(mql), conversion(rest));
    }

    static Conversion conversion(List<LeadOutcome> group) {
        int known = (int) group.stream().filter(o -> o.converted() != null).count();
        int converted = (int) group.stream().filter(o -> Boolean.TRUE.equals(o.converted())).count();
        return new Conversion(group.size(), known, converted, known == 0 ? null : Math.round(converted * 10_000d / known) / 10_000d);
    }
}
