package io.leadplatform.scoring.service.engine;

import io.leadplatform.scoring.domain.Stage;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The stage machine of DESIGN.md: VISITOR → SUBSCRIBER → LEAD → MQL → SQL → OPPORTUNITY →
 * CUSTOMER, plus RECYCLED (back to nurturing) and DISQUALIFIED. Pure; {@link #check} says why a move
 * is illegal.
 */
public final class Lifecycle {

    private static final Map<Stage, Set<Stage>> ALLOWED = new EnumMap<>(Stage.class);

    static {
        ALLOWED.put(Stage.VISITOR, EnumSet.of(Stage.SUBSCRIBER, Stage.LEAD, Stage.DISQUALIFIED));
        ALLOWED.put(Stage.SUBSCRIBER, EnumSet.of(Stage.LEAD, Stage.DISQUALIFIED));
        ALLOWED.put(Stage.LEAD, EnumSet.of(Stage.MQL, Stage.RECYCLED, Stage.DISQUALIFIED));
        ALLOWED.put(Stage.MQL, EnumSet.of(Stage.SQL, Stage.RECYCLED, Stage.DISQUALIFIED));
        ALLOWED.put(Stage.SQL, EnumSet.of(Stage.OPPORTUNITY, Stage.RECYCLED, Stage.DISQUALIFIED));
        ALLOWED.put(Stage.OPPORTUNITY, EnumSet.of(Stage.CUSTOMER, Stage.RECYCLED, Stage.DISQUALIFIED));
        ALLOWED.put(Stage.RECYCLED, EnumSet.of(Stage.MQL, Stage.DISQUALIFIED));
        ALLOWED.put(Stage.CUSTOMER, EnumSet.noneOf(Stage.class));
        ALLOWED.put(Stage.DISQUALIFIED, EnumSet.noneOf(Stage.class));
    }

    private static final Set<Stage> ENTRY = EnumSet.of(Stage.VISITOR, Stage.SUBSCRIBER, Stage.LEAD);

    private Lifecycle() {
    }

    /** Where a lead may go from {@code from} (null: not yet known, only an entry stage). */
    public static Set<Stage> allowedFrom(Stage from) {
        return from == null ? ENTRY : ALLOWED.get(from);
    }

    public static boolean allowed(Stage from, Stage to) {
        return to != null && allowedFrom(from).contains(to);
    }

    /** Null when the move is legal, else why not (for a 409). */
    public static String check(Stage from, Stage to) {
        if (allowed(from, to)) {
            return null;
        }
        if (from == to) {
            return "the lead is already " + to;
        }
        Set<Stage> next = allowedFrom(from);
        return "a lead cannot move from " + (from == null ? "no stage" : from) + " to " + to
                + (next.isEmpty() ? ": " + from + " is final" : "; allowed next: " + next);
    }
}
