package io.leadplatform.scoring.service.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sales' BANT qualification (budget, authority, need, timing) and the acceptance rule: at least N of 4 met. */
public record Bant(Criterion budget, Criterion authority, Criterion need, Criterion timing) {

    public record Criterion(boolean met, String note) {
    }

    /** The outcome: accepted or not, and a sentence saying which criteria are met. */
    public record Verdict(boolean accepted, int met, List<String> missing, String reason) {
    }

    public Map<String, Criterion> criteria() {
        Map<String, Criterion> all = new LinkedHashMap<>();
        all.put("budget", budget);
        all.put("authority", authority);
        all.put("need", need);
        all.put("timing", timing);
        return all;
    }

    public Verdict evaluate(int minMet) {
        List<String> missing = new ArrayList<>();
        int met = 0;
        for (var e : criteria().entrySet()) {
            if (e.getValue() != null && e.getValue().met()) {
                met++;
            } else {
                missing.add(e.getKey());
            }
        }
        boolean accepted = met >= minMet;
        String reason = "BANT " + met + " of 4 met (" + (accepted ? "at least " : "needs at least ") + minMet + ")"
                + (missing.isEmpty() ? "" : "; not met: " + String.join(", ", missing));
        return new Verdict(accepted, met, List.copyOf(missing), reason);
    }
}
