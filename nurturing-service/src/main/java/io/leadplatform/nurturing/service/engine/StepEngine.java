package io.leadplatform.nurturing.service.engine;

import io.leadplatform.nurturing.domain.SequenceDefinition;
import io.leadplatform.nurturing.domain.SequenceDefinition.Condition;
import io.leadplatform.nurturing.domain.SequenceDefinition.Step;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks a sequence version from a step until something must happen outside: a mail to send, a wait, an exit
 * or the end. Pure: what the lead did and is comes in as {@link Facts}; the caller persists the outcome.
 */
public final class StepEngine {

    /** More steps than this without a send or wait is a bug (the validator rejects loops without a wait). */
    static final int MAX_STEPS = 100;

    private StepEngine() {
    }

    /** What the engine knows of the lead: stage, grade, temperature, engagement with this enrollment's mails, visits. */
    public record Facts(String stage, String grade, String temperature, Set<String> openedSteps, Set<String> clickedSteps,
                        List<String> visitedUrls) {
    }

    /** A line of the enrollment's history. */
    public record Entry(String stepId, String action, String reason) {
    }

    public sealed interface Stop permits Send, Wait, Exit, Complete {
    }

    /** Send the step's template; afterwards continue at {@code next} (null: the sequence is complete). */
    public record Send(Step step, String next) implements Stop {
    }

    /** Nothing until {@code until}; then continue at {@code next}. */
    public record Wait(String stepId, Instant until, String next) implements Stop {
    }

    public record Exit(String stepId, String reason) implements Stop {
    }

    public record Complete() implements Stop {
    }

    public record Outcome(List<Entry> history, Stop stop) {
    }

    public static Outcome run(SequenceDefinition d, String from, Facts facts, Instant now, ZoneId zone) {
        List<Step> steps = d.steps();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            index.put(steps.get(i).id(), i);
        }
        List<Entry> history = new ArrayList<>();
        String current = from;
        for (int n = 0; n < MAX_STEPS; n++) {
            if (current == null) {
                return new Outcome(history, new Complete());
            }
            Integer i = index.get(current);
            if (i == null) {
                return new Outcome(history, new Exit(current, "step '" + current + "' does not exist in this version"));
            }
            Step s = steps.get(i);
            switch (s.type()) {
                case Step.SEND -> {
                    return new Outcome(history, new Send(s, following(s, i, steps)));
                }
                case Step.WAIT -> {
                    Instant until = now.plus(Duration.parse(s.duration()));
                    history.add(new Entry(s.id(), "waiting", "wait " + s.duration() + " until " + until));
                    return new Outcome(history, new Wait(s.id(), until, following(s, i, steps)));
                }
                case Step.WAIT_UNTIL -> {
                    Instant until = Schedule.nextWeekdayTime(now, zone, DayOfWeek.valueOf(s.weekday()), LocalTime.parse(s.time()));
                    history.add(new Entry(s.id(), "waiting", "until " + s.weekday() + " " + s.time() + " " + zone + " (" + until + ")"));
                    return new Outcome(history, new Wait(s.id(), until, following(s, i, steps)));
                }
                case Step.BRANCH -> {
                    String why = test(s.condition(), facts);
                    boolean yes = why != null;
                    String target = yes ? s.then() : s.otherwise() != null ? s.otherwise() : following(s, i, steps);
                    history.add(new Entry(s.id(), "branched", (yes ? "true: " + why : "false: " + describe(s.condition()))
                            + " → " + (target == null ? "end" : target)));
                    current = target;
                }
                case Step.EXIT -> {
                    return new Outcome(history, new Exit(s.id(), s.reason() != null ? s.reason() : "exit step"));
                }
                default -> throw new IllegalStateException("unknown step type " + s.type());
            }
        }
        throw new IllegalStateException("more than " + MAX_STEPS + " steps without a send or a wait");
    }

    private static String following(Step s, int i, List<Step> steps) {
        if (s.next() != null) {
            return s.next();
        }
        return i + 1 < steps.size() ? steps.get(i + 1).id() : null;
    }

    /** Why the condition holds, or null when it does not. */
    static String test(Condition c, Facts f) {
        if (c.stage() != null) {
            return c.stage().contains(f.stage()) ? "stage is " + f.stage() : null;
        }
        if (c.grade() != null) {
            return c.grade().contains(f.grade()) ? "grade is " + f.grade() : null;
        }
        if (c.temperature() != null) {
            return c.temperature().contains(f.temperature()) ? "temperature is " + f.temperature() : null;
        }
        if (c.opened() != null) {
            return f.openedSteps().contains(c.opened()) ? "mail of step " + c.opened() + " was opened" : null;
        }
        if (c.clicked() != null) {
            return f.clickedSteps().contains(c.clicked()) ? "mail of step " + c.clicked() + " was clicked" : null;
        }
        if (c.visited() != null) {
            Pattern p = urlPattern(c.visited());
            for (String url : f.visitedUrls()) {
                if (p.matcher(url).matches()) {
                    return "visited " + url;
                }
            }
        }
        return null;
    }

    private static String describe(Condition c) {
        if (c.stage() != null) {
            return "stage not in " + c.stage();
        }
        if (c.grade() != null) {
            return "grade not in " + c.grade();
        }
        if (c.temperature() != null) {
            return "temperature not in " + c.temperature();
        }
        if (c.opened() != null) {
            return "mail of step " + c.opened() + " not opened";
        }
        if (c.clicked() != null) {
            return "mail of step " + c.clicked() + " not clicked";
        }
        return "no visit matching " + c.visited();
    }

    /**
     * A URL pattern: {@code *} matches any characters, everything else literally; a pattern that starts with
     * {@code /} matches the path of a full URL too.
     */
    public static Pattern urlPattern(String pattern) {
        StringBuilder regex = new StringBuilder(pattern.startsWith("/") ? "(?:[a-z][a-z0-9+.-]*://[^/]*)?" : "");
        String[] parts = pattern.split("\\*", -1);
        for (int k = 0; k < parts.length; k++) {
            if (k > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[k]));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
