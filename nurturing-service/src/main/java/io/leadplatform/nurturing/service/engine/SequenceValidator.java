package io.leadplatform.nurturing.service.engine;

import io.leadplatform.common.rest.Problem.FieldError;
import io.leadplatform.nurturing.domain.SequenceDefinition;
import io.leadplatform.nurturing.domain.SequenceDefinition.Condition;
import io.leadplatform.nurturing.domain.SequenceDefinition.Step;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a sequence definition before it is saved; every error names the offending step
 * ({@code steps[2] (b1).then}). Pure: the templates that exist are passed in.
 */
public final class SequenceValidator {

    public static final Set<String> STAGES = Set.of("VISITOR", "SUBSCRIBER", "LEAD", "MQL", "SQL", "OPPORTUNITY", "CUSTOMER",
            "RECYCLED", "DISQUALIFIED");
    static final Set<String> GRADES = Set.of("A", "B", "C", "D", "E", "F");
    static final Set<String> TEMPERATURES = Set.of("hot", "warm", "cold");
    static final Set<String> TYPES = Set.of(Step.SEND, Step.WAIT, Step.WAIT_UNTIL, Step.BRANCH, Step.EXIT);

    private SequenceValidator() {
    }

    public static List<FieldError> validate(SequenceDefinition d, Set<String> templates) {
        List<FieldError> errors = new ArrayList<>();
        if (d.name() == null || d.name().isBlank()) {
            errors.add(new FieldError("name", "must not be blank"));
        }
        if (d.phase() != null && !SequenceDefinition.PRE_SALE.equals(d.phase()) && !SequenceDefinition.AFTER_SALE.equals(d.phase())) {
            errors.add(new FieldError("phase", "must be pre-sale or after-sale"));
        }
        if (d.timeZone() != null && !validZone(d.timeZone())) {
            errors.add(new FieldError("timeZone", "is not an IANA time zone: " + d.timeZone()));
        }
        if (d.trigger() != null && d.trigger().stages() != null) {
            for (String s : d.trigger().stages()) {
                if (!STAGES.contains(s)) {
                    errors.add(new FieldError("trigger.stages", "unknown stage " + s));
                }
            }
        }
        if (d.goal() != null && d.goal().stages() != null) {
            for (String s : d.goal().stages()) {
                if (!STAGES.contains(s)) {
                    errors.add(new FieldError("goal.stages", "unknown stage " + s));
                }
            }
        }
        if (d.sendWindow() != null) {
            window(d.sendWindow(), errors);
        }
        List<Step> steps = d.steps();
        if (steps == null || steps.isEmpty()) {
            errors.add(new FieldError("steps", "a sequence needs at least one step"));
            return errors;
        }
        Map<String, Integer> index = new HashMap<>();
        int before = errors.size();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s == null || s.id() == null || s.id().isBlank()) {
                errors.add(new FieldError("steps[" + i + "].id", "must not be blank"));
            } else if (index.putIfAbsent(s.id(), i) != null) {
                errors.add(new FieldError(name(i, s) + ".id", "duplicate step id"));
            }
        }
        if (errors.size() > before) {
            return errors;
        }
        for (int i = 0; i < steps.size(); i++) {
            step(i, steps.get(i), steps, index, templates, errors);
        }
        if (errors.size() == before) {
            loopWithoutWait(steps, index, errors);
        }
        return errors;
    }

    private static void step(int i, Step s, List<Step> steps, Map<String, Integer> index, Set<String> templates, List<FieldError> errors) {
        String at = name(i, s);
        if (s.type() == null || !TYPES.contains(s.type())) {
            errors.add(new FieldError(at + ".type", "must be one of send, wait, wait-until, branch, exit"));
            return;
        }
        switch (s.type()) {
            case Step.SEND -> {
                if (s.template() == null || s.template().isBlank()) {
                    errors.add(new FieldError(at + ".template", "a send step needs a template"));
                } else if (!templates.contains(s.template())) {
                    errors.add(new FieldError(at + ".template", "unknown template '" + s.template() + "'"));
                }
            }
            case Step.WAIT -> {
                try {
                    Duration duration = Duration.parse(s.duration() == null ? "" : s.duration());
                    if (duration.isNegative() || duration.isZero()) {
                        errors.add(new FieldError(at + ".duration", "must be positive"));
                    }
                } catch (DateTimeException e) {
                    errors.add(new FieldError(at + ".duration", "must be an ISO-8601 duration such as P2D or PT4H"));
                }
            }
            case Step.WAIT_UNTIL -> {
                if (!validDay(s.weekday())) {
                    errors.add(new FieldError(at + ".weekday", "must be MONDAY … SUNDAY"));
                }
                if (!validTime(s.time())) {
                    errors.add(new FieldError(at + ".time", "must be a local time HH:mm"));
                }
            }
            case Step.BRANCH -> {
                condition(at, s.condition(), steps, index, errors);
                if (s.then() == null) {
                    errors.add(new FieldError(at + ".then", "a branch needs a target step"));
                } else if (!index.containsKey(s.then())) {
                    errors.add(new FieldError(at + ".then", "branches to missing step '" + s.then() + "'"));
                }
                if (s.otherwise() != null && !index.containsKey(s.otherwise())) {
                    errors.add(new FieldError(at + ".else", "branches to missing step '" + s.otherwise() + "'"));
                }
            }
            default -> {
            }
        }
        if (s.next() != null && !index.containsKey(s.next())) {
            errors.add(new FieldError(at + ".next", "jumps to missing step '" + s.next() + "'"));
        }
        if (s.next() != null && (Step.BRANCH.equals(s.type()) || Step.EXIT.equals(s.type()))) {
            errors.add(new FieldError(at + ".next", "a " + s.type() + " step has no next"));
        }
    }

    private static void condition(String at, Condition c, List<Step> steps, Map<String, Integer> index, List<FieldError> errors) {
        if (c == null) {
            errors.add(new FieldError(at + ".condition", "a branch needs a condition"));
            return;
        }
        int set = 0;
        set += values(at + ".condition.stage", c.stage(), STAGES, errors);
        set += values(at + ".condition.grade", c.grade(), GRADES, errors);
        set += values(at + ".condition.temperature", c.temperature(), TEMPERATURES, errors);
        for (var ref : List.of(new String[]{"opened", c.opened()}, new String[]{"clicked", c.clicked()})) {
            if (ref[1] != null) {
                set++;
                Integer target = index.get(ref[1]);
                if (target == null || !Step.SEND.equals(steps.get(target).type())) {
                    errors.add(new FieldError(at + ".condition." + ref[0], "'" + ref[1] + "' is not a send step of this sequence"));
                }
            }
        }
        if (c.visited() != null) {
            set++;
            if (c.visited().isBlank()) {
                errors.add(new FieldError(at + ".condition.visited", "must be a URL pattern"));
            }
        }
        if (set != 1) {
            errors.add(new FieldError(at + ".condition", "set exactly one of stage, grade, temperature, opened, clicked, visited"));
        }
    }

    private static int values(String field, List<String> values, Set<String> allowed, List<FieldError> errors) {
        if (values == null) {
            return 0;
        }
        if (values.isEmpty()) {
            errors.add(new FieldError(field, "must list at least one value"));
        }
        for (String v : values) {
            if (!allowed.contains(v)) {
                errors.add(new FieldError(field, "unknown value " + v));
            }
        }
        return 1;
    }

    /** A cycle through steps none of which waits would run forever at once (and mail a lead without pause). */
    private static void loopWithoutWait(List<Step> steps, Map<String, Integer> index, List<FieldError> errors) {
        int[] state = new int[steps.size()]; // 0 new, 1 on the path, 2 done
        for (int i = 0; i < steps.size(); i++) {
            if (state[i] == 0 && !steps.get(i).waits() && dfs(i, steps, index, state, errors)) {
                return;
            }
        }
    }

    private static boolean dfs(int i, List<Step> steps, Map<String, Integer> index, int[] state, List<FieldError> errors) {
        state[i] = 1;
        for (int next : successors(i, steps, index)) {
            if (steps.get(next).waits()) {
                continue;
            }
            if (state[next] == 1) {
                errors.add(new FieldError(name(i, steps.get(i)), "loops back to step '" + steps.get(next).id() + "' without a wait step"));
                return true;
            }
            if (state[next] == 0 && dfs(next, steps, index, state, errors)) {
                return true;
            }
        }
        state[i] = 2;
        return false;
    }

    static List<Integer> successors(int i, List<Step> steps, Map<String, Integer> index) {
        Step s = steps.get(i);
        List<Integer> out = new ArrayList<>();
        switch (s.type()) {
            case Step.EXIT -> {
            }
            case Step.BRANCH -> {
                out.add(index.get(s.then()));
                if (s.otherwise() != null) {
                    out.add(index.get(s.otherwise()));
                } else if (i + 1 < steps.size()) {
                    out.add(i + 1);
                }
            }
            default -> {
                if (s.next() != null) {
                    out.add(index.get(s.next()));
                } else if (i + 1 < steps.size()) {
                    out.add(i + 1);
                }
            }
        }
        return new ArrayList<>(new HashSet<>(out));
    }

    private static void window(SequenceDefinition.SendWindow w, List<FieldError> errors) {
        if (w.days() != null) {
            for (String day : w.days()) {
                if (!validDay(day)) {
                    errors.add(new FieldError("sendWindow.days", "unknown day " + day));
                }
            }
        }
        if (!validTime(w.from())) {
            errors.add(new FieldError("sendWindow.from", "must be a local time HH:mm"));
        }
        if (!validTime(w.to())) {
            errors.add(new FieldError("sendWindow.to", "must be a local time HH:mm"));
        }
        if (validTime(w.from()) && validTime(w.to()) && !LocalTime.parse(w.from()).isBefore(LocalTime.parse(w.to()))) {
            errors.add(new FieldError("sendWindow.to", "must be after from"));
        }
    }

    static String name(int i, Step s) {
        return "steps[" + i + "]" + (s != null && s.id() != null ? " (" + s.id() + ")" : "");
    }

    static boolean validZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    static boolean validDay(String day) {
        try {
            DayOfWeek.valueOf(day == null ? "" : day);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean validTime(String time) {
        try {
            LocalTime.parse(time == null ? "" : time);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
