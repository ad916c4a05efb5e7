package io.leadplatform.scoring.service.engine;

import io.leadplatform.scoring.service.engine.ModelDefinition.EngagementRule;
import io.leadplatform.scoring.service.engine.ModelDefinition.FitRule;
import io.leadplatform.scoring.service.engine.ModelDefinition.GradeBand;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * All scoring arithmetic, pure: fit rules → fit points → grade; engagement rules over activities
 * with per-event decay (points × 0.5^(age / half-life)) and a cap per rule → engagement →
 * temperature; MQL when grade and engagement both pass. Built once per (validated) model.
 */
public final class ScoringEngine {

    public static final List<String> GRADES = List.of("A", "B", "C", "D", "E", "F");

    public static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
            "outlook.com", "live.com", "gmx.de", "gmx.net", "web.de", "icloud.com", "aol.com", "proton.me", "protonmail.com");

    private static final double SECONDS_PER_DAY = 86_400d;

    private final ModelDefinition model;
    private final List<CompiledFit> fitRules;
    private final List<CompiledEngagement> engagementRules;
    private final List<GradeBand> bands;

    public ScoringEngine(ModelDefinition model) {
        List<String> errors = ModelValidator.validate(model).stream().map(e -> e.field() + ": " + e.message()).toList();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid model: " + errors);
        }
        this.model = model;
        this.fitRules = model.fitRules().stream().map(CompiledFit::new).toList();
        this.engagementRules = model.engagementRules().stream().map(CompiledEngagement::new).toList();
        this.bands = model.gradeBands().stream().sorted(Comparator.comparingInt(GradeBand::minFit).reversed()).toList();
    }

    public ModelDefinition model() {
        return model;
    }

    /** A fit rule that matched, and its points. */
    public record FitContribution(String rule, String description, int points) {
    }

    /** One event's share of an engagement rule: raw points and points after decay at the scoring time. */
    public record EventContribution(java.util.UUID eventId, String activityType, Instant occurredAt, double rawPoints,
                                    double decayedPoints) {
    }

    /** An engagement rule's total: the sum of its events' decayed points, clamped to ±cap. */
    public record RuleContribution(String rule, String description, double rawPoints, double decayedPoints, double points,
                                   boolean capped, List<EventContribution> events) {
    }

    /** Why a lead is (not) an MQL: each threshold and whether it passes. */
    public record MqlVerdict(boolean mql, boolean gradePasses, boolean engagementPasses, String reason) {
    }

    /** The whole score at one instant. */
    public record Score(int fit, String grade, List<FitContribution> fitContributions, double engagement, String temperature,
                        List<RuleContribution> engagementContributions, List<java.util.UUID> ignoredBotEvents,
                        MqlVerdict mql, Instant scoredAt) {

        /** The score as stored with a lead and emitted in lead.scored: per rule only its count of events. */
        public Summary summary() {
            return new Summary(fit, grade, fitContributions, engagement, temperature, engagementContributions.stream()
                    .map(r -> new RuleTotal(r.rule(), r.description(), r.events().size(), r.points(), r.capped())).toList(),
                    mql, scoredAt);
        }
    }

    /** An engagement rule's share of a stored score: how many events matched, and its points after decay and cap. */
    public record RuleTotal(String rule, String description, int events, double points, boolean capped) {
    }

    /** A score without per-event detail: what {@link #score} gives, computed from {@link EngagementSums} instead. */
    public record Summary(int fit, String grade, List<FitContribution> fitContributions, double engagement, String temperature,
                          List<RuleTotal> engagementTotals, MqlVerdict mql, Instant scoredAt) {
    }

    public Score score(Map<String, Object> profile, List<Activity> activities, Instant now) {
        List<FitContribution> fitParts = fit(profile);
        int fit = fitParts.stream().mapToInt(FitContribution::points).sum();
        String grade = grade(fit);

        List<java.util.UUID> ignored = new ArrayList<>();
        for (Activity a : activities) {
            if (a.ignoredAsBot()) {
                ignored.add(a.eventId());
            }
        }
        List<RuleContribution> engagementParts = new ArrayList<>();
        for (CompiledEngagement rule : engagementRules) {
            RuleContribution c = rule.contribution(activities, now);
            if (c != null) {
                engagementParts.add(c);
            }
        }
        double engagement = round(engagementParts.stream().mapToDouble(RuleContribution::points).sum());
        String temperature = temperature(engagement);
        return new Score(fit, grade, List.copyOf(fitParts), engagement, temperature, List.copyOf(engagementParts),
                List.copyOf(ignored), mql(grade, engagement), now);
    }

    /**
     * The same score as {@link #score}{@code (profile, activities, now).summary()} when {@code sums} holds those
     * activities ({@link #accumulate}) and {@code sums.exactAt(now)}: no history needed.
     */
    public Summary summarize(Map<String, Object> profile, EngagementSums sums, Instant now) {
        List<FitContribution> fitParts = fit(profile);
        int fit = fitParts.stream().mapToInt(FitContribution::points).sum();
        String grade = grade(fit);
        List<RuleTotal> totals = new ArrayList<>();
        for (int i = 0; i < engagementRules.size(); i++) {
            int n = sums.count(i);
            if (n > 0) {
                EngagementRule rule = engagementRules.get(i).rule;
                double decayed = sums.decayed(i, now);
                boolean capped = capped(rule, decayed);
                totals.add(new RuleTotal(rule.id(), rule.description(), n, round(capped ? Math.copySign(rule.cap(), decayed) : decayed),
                        capped));
            }
        }
        double engagement = round(totals.stream().mapToDouble(RuleTotal::points).sum());
        return new Summary(fit, grade, List.copyOf(fitParts), engagement, temperature(engagement), List.copyOf(totals),
                mql(grade, engagement), now);
    }

    /** Empty sums for this engine's engagement rules, tagged with the model id. */
    public EngagementSums emptySums(java.util.UUID modelId) {
        return new EngagementSums(modelId, halfLives());
    }

    /** Stored sums ({@link EngagementSums#encode()}), or null when absent or unreadable for this engine's rules. */
    public EngagementSums decodeSums(String text) {
        return EngagementSums.decode(text, halfLives());
    }

    /** Adds one activity to the sums of every rule it matches (bot opens and clicks match none). */
    public void accumulate(EngagementSums sums, Activity activity) {
        for (int i = 0; i < engagementRules.size(); i++) {
            CompiledEngagement rule = engagementRules.get(i);
            if (rule.matches(activity)) {
                sums.add(i, rule.rule.points(), activity.occurredAt());
            }
        }
    }

    /** Sums built from a whole history. */
    public EngagementSums sums(java.util.UUID modelId, List<Activity> activities) {
        EngagementSums sums = emptySums(modelId);
        activities.forEach(a -> accumulate(sums, a));
        return sums;
    }

    private double[] halfLives() {
        return engagementRules.stream().mapToDouble(r -> r.rule.halfLifeDays() == null ? Double.NaN : r.rule.halfLifeDays()).toArray();
    }

    private List<FitContribution> fit(Map<String, Object> profile) {
        List<FitContribution> fitParts = new ArrayList<>();
        for (CompiledFit rule : fitRules) {
            if (rule.matches(profile)) {
                fitParts.add(new FitContribution(rule.rule.id(), rule.rule.description(), rule.rule.points()));
            }
        }
        return fitParts;
    }

    private static boolean capped(EngagementRule rule, double decayed) {
        return rule.cap() != null && Math.abs(decayed) > rule.cap();
    }

    /** The grade of a fit: the best band whose minimum it reaches, else F. */
    public String grade(int fit) {
        for (GradeBand band : bands) {
            if (fit >= band.minFit()) {
                return band.grade();
            }
        }
        return "F";
    }

    public String temperature(double engagement) {
        if (engagement >= model.temperatures().hot()) {
            return "hot";
        }
        return engagement >= model.temperatures().warm() ? "warm" : "cold";
    }

    public MqlVerdict mql(String grade, double engagement) {
        String minGrade = model.mql().minGrade();
        double minEngagement = model.mql().minEngagement();
        boolean gradeOk = GRADES.indexOf(grade) <= GRADES.indexOf(minGrade);
        boolean engagementOk = engagement >= minEngagement;
        String reason = "grade " + grade + (gradeOk ? " meets" : " is below") + " the minimum " + minGrade
                + "; engagement " + format(engagement) + (engagementOk ? " meets" : " is below") + " the threshold "
                + format(minEngagement);
        return new MqlVerdict(gradeOk && engagementOk, gradeOk, engagementOk, reason);
    }

    /** points × 0.5^(age / half-life); no half-life: no decay; an activity from the future counts as age 0. */
    public static double decay(double points, Double halfLifeDays, Instant occurredAt, Instant now) {
        if (halfLifeDays == null) {
            return points;
        }
        double ageDays = Math.max(0, Duration.between(occurredAt, now).toMillis()) / 1000d / SECONDS_PER_DAY;
        return points * Math.pow(0.5, ageDays / halfLifeDays);
    }

    public static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static double round(double v) {
        return Math.round(v * 100d) / 100d;
    }

    private static final class CompiledFit {
        final FitRule rule;
        final FitOperator op;
        final String field;
        final Pattern regex;
        final List<String> valuesLower;

        CompiledFit(FitRule rule) {
            this.rule = rule;
            this.op = FitOperator.parse(rule.operator()).orElseThrow();
            this.field = rule.field() != null && !rule.field().isBlank() ? rule.field() : op.defaultField().orElseThrow();
            this.regex = op == FitOperator.REGEX ? Pattern.compile(rule.value(), Pattern.CASE_INSENSITIVE) : null;
            this.valuesLower = rule.values() == null ? List.of() : rule.values().stream().map(v -> v.toLowerCase(Locale.ROOT).trim()).toList();
        }

        boolean matches(Map<String, Object> profile) {
            String text = text(profile, field);
            return switch (op) {
                case PRESENT -> text != null;
                case EQUALS -> text != null && text.equalsIgnoreCase(rule.value().trim());
                case ONE_OF, INDUSTRY, COUNTRY -> text != null && valuesLower.contains(text.toLowerCase(Locale.ROOT));
                case CONTAINS -> text != null && text.toLowerCase(Locale.ROOT).contains(rule.value().toLowerCase(Locale.ROOT));
                case REGEX -> text != null && regex.matcher(text).find();
                case RANGE, COMPANY_SIZE -> inRange(number(text));
                case JOB_TITLE -> text != null && valuesLower.stream().anyMatch(v -> text.toLowerCase(Locale.ROOT).contains(v));
                case FREE_MAIL_DOMAIN -> {
                    String domain = domain(text);
                    yield domain != null && (valuesLower.isEmpty() ? FREE_MAIL : Set.copyOf(valuesLower)).contains(domain);
                }
                case BUSINESS_EMAIL -> {
                    String domain = domain(text);
                    yield domain != null && !(valuesLower.isEmpty() ? FREE_MAIL : Set.copyOf(valuesLower)).contains(domain);
                }
            };
        }

        private boolean inRange(Double n) {
            return n != null && (rule.min() == null || n >= rule.min()) && (rule.max() == null || n <= rule.max());
        }
    }

    /** The field's text (blank counts as absent); a dotted path reads nested maps ("fields.employees"); a missing top-level field is looked up in "fields". */
    static String text(Map<String, Object> profile, String field) {
        Object v = lookup(profile, field);
        if (v == null && !field.contains(".") && profile.get("fields") instanceof Map<?, ?> fields) {
            v = fields.get(field);
        }
        if (v == null || v instanceof Map || v instanceof List) {
            return null;
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? null : s;
    }

    private static Object lookup(Map<String, Object> profile, String path) {
        Object current = profile;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    static Double number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Double.parseDouble(text.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String domain(String email) {
        if (email == null || email.indexOf('@') < 0 || email.endsWith("@")) {
            return null;
        }
        return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static final class CompiledEngagement {
        final EngagementRule rule;
        final Pattern url;
        final Pattern asset;

        CompiledEngagement(EngagementRule rule) {
            this.rule = rule;
            this.url = rule.urlPattern() == null ? null : Pattern.compile(rule.urlPattern(), Pattern.CASE_INSENSITIVE);
            this.asset = rule.assetPattern() == null ? null : Pattern.compile(rule.assetPattern(), Pattern.CASE_INSENSITIVE);
        }

        boolean matches(Activity a) {
            if (a.ignoredAsBot()) {
                return false;
            }
            if (rule.activityType() != null && !rule.activityType().equals(a.type())) {
                return false;
            }
            if (url != null && (a.url() == null || !url.matcher(a.url()).find())) {
                return false;
            }
            if (asset != null && (a.asset() == null || !asset.matcher(a.asset()).find())) {
                return false;
            }
            return rule.minSeconds() == null || (a.durationSeconds() != null && a.durationSeconds() >= rule.minSeconds());
        }

        RuleContribution contribution(List<Activity> activities, Instant now) {
            List<EventContribution> events = new ArrayList<>();
            double raw = 0;
            double decayed = 0;
            for (Activity a : activities) {
                if (matches(a)) {
                    double d = decay(rule.points(), rule.halfLifeDays(), a.occurredAt(), now);
                    raw += rule.points();
                    decayed += d;
                    events.add(new EventContribution(a.eventId(), a.type(), a.occurredAt(), rule.points(), round(d)));
                }
            }
            if (events.isEmpty()) {
                return null;
            }
            boolean capped = capped(rule, decayed);
            double points = capped ? Math.copySign(rule.cap(), decayed) : decayed;
            return new RuleContribution(rule.id(), rule.description(), round(raw), round(decayed), round(points), capped,
                    List.copyOf(events));
        }
    }
}
