package io.leadplatform.scoring.service.engine;

import io.leadplatform.common.rest.Problem.FieldError;
import io.leadplatform.scoring.service.engine.ModelDefinition.EngagementRule;
import io.leadplatform.scoring.service.engine.ModelDefinition.FitRule;
import io.leadplatform.scoring.service.engine.ModelDefinition.GradeBand;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks a model before it is saved; answers every problem, each naming its field (for a 422). */
public final class ModelValidator {

    private static final Set<FitOperator> NEEDS_VALUE = Set.of(FitOperator.EQUALS, FitOperator.CONTAINS, FitOperator.REGEX);
    private static final Set<FitOperator> NEEDS_VALUES = Set.of(FitOperator.ONE_OF, FitOperator.JOB_TITLE,
            FitOperator.INDUSTRY, FitOperator.COUNTRY);
    private static final Set<FitOperator> NEEDS_RANGE = Set.of(FitOperator.RANGE, FitOperator.COMPANY_SIZE);

    private ModelValidator() {
    }

    public static List<FieldError> validate(ModelDefinition m) {
        List<FieldError> errors = new ArrayList<>();
        if (m == null) {
            errors.add(new FieldError("definition", "must not be null"));
            return errors;
        }
        Set<String> ids = new HashSet<>();
        List<FitRule> fitRules = m.fitRules() == null ? List.of() : m.fitRules();
        if (m.fitRules() == null) {
            errors.add(new FieldError("fitRules", "must not be null (may be empty)"));
        }
        for (int i = 0; i < fitRules.size(); i++) {
            validateFit(fitRules.get(i), "fitRules[" + i + "]", ids, errors);
        }
        validateBands(m.gradeBands(), errors);
        List<EngagementRule> engagementRules = m.engagementRules() == null ? List.of() : m.engagementRules();
        if (m.engagementRules() == null) {
            errors.add(new FieldError("engagementRules", "must not be null (may be empty)"));
        }
        for (int i = 0; i < engagementRules.size(); i++) {
            validateEngagement(engagementRules.get(i), "engagementRules[" + i + "]", ids, errors);
        }
        if (m.temperatures() == null) {
            errors.add(new FieldError("temperatures", "must not be null"));
        } else if (!(m.temperatures().hot() > m.temperatures().warm())) {
            errors.add(new FieldError("temperatures.hot", "must be greater than temperatures.warm"));
        }
        if (m.mql() == null) {
            errors.add(new FieldError("mql", "must not be null"));
        } else {
            if (m.mql().minGrade() == null || !ScoringEngine.GRADES.subList(0, 5).contains(m.mql().minGrade())) {
                errors.add(new FieldError("mql.minGrade", "must be one of A, B, C, D, E"));
            }
            if (!(m.mql().minEngagement() > 0)) {
                errors.add(new FieldError("mql.minEngagement", "must be greater than 0"));
            }
        }
        return errors;
    }

    private static void validateFit(FitRule r, String path, Set<String> ids, List<FieldError> errors) {
        if (r == null) {
            errors.add(new FieldError(path, "must not be null"));
            return;
        }
        checkId(r.id(), path, ids, errors);
        var op = FitOperator.parse(r.operator());
        if (op.isEmpty()) {
            errors.add(new FieldError(path + ".operator", "must be one of " + java.util.Arrays.stream(FitOperator.values()).map(FitOperator::wireName).toList()));
            return;
        }
        if ((r.field() == null || r.field().isBlank()) && op.get().defaultField().isEmpty()) {
            errors.add(new FieldError(path + ".field", "must not be blank for operator " + op.get().wireName()));
        }
        if (NEEDS_VALUE.contains(op.get()) && (r.value() == null || r.value().isEmpty())) {
            errors.add(new FieldError(path + ".value", "must not be empty for operator " + op.get().wireName()));
        }
        if (op.get() == FitOperator.REGEX && r.value() != null && !r.value().isEmpty()) {
            regex(r.value(), path + ".value", errors);
        }
        if (NEEDS_VALUES.contains(op.get()) && (r.values() == null || r.values().isEmpty()
                || r.values().stream().anyMatch(v -> v == null || v.isBlank()))) {
            errors.add(new FieldError(path + ".values", "must be a non-empty list of non-blank values for operator " + op.get().wireName()));
        }
        if (NEEDS_RANGE.contains(op.get())) {
            if (r.min() == null && r.max() == null) {
                errors.add(new FieldError(path + ".min", "min or max is required for operator " + op.get().wireName()));
            } else if (r.min() != null && r.max() != null && r.min() > r.max()) {
                errors.add(new FieldError(path + ".max", "must not be less than min"));
            }
        }
        if (r.points() == 0) {
            errors.add(new FieldError(path + ".points", "must not be 0"));
        }
    }

    private static void validateBands(List<GradeBand> bands, List<FieldError> errors) {
        if (bands == null || bands.isEmpty()) {
            errors.add(new FieldError("gradeBands", "must not be empty"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < bands.size(); i++) {
            GradeBand b = bands.get(i);
            String path = "gradeBands[" + i + "]";
            if (b == null || b.grade() == null || !ScoringEngine.GRADES.subList(0, 5).contains(b.grade())) {
                errors.add(new FieldError(path + ".grade", "must be one of A, B, C, D, E (F is everything below)"));
                continue;
            }
            if (!seen.add(b.grade())) {
                errors.add(new FieldError(path + ".grade", "grade " + b.grade() + " appears twice"));
            }
        }
        // a better grade needs strictly more points than every worse one: otherwise bands overlap
        for (int i = 0; i < bands.size(); i++) {
            for (int j = 0; j < bands.size(); j++) {
                GradeBand a = bands.get(i);
                GradeBand b = bands.get(j);
                if (a == null || b == null || a.grade() == null || b.grade() == null || i == j) {
                    continue;
                }
                int ga = ScoringEngine.GRADES.indexOf(a.grade());
                int gb = ScoringEngine.GRADES.indexOf(b.grade());
                if (ga >= 0 && gb >= 0 && ga < gb && a.minFit() <= b.minFit()) {
                    errors.add(new FieldError("gradeBands[" + i + "].minFit", "bands overlap: grade " + a.grade() + " (from "
                            + a.minFit() + ") must need more points than grade " + b.grade() + " (from " + b.minFit() + ")"));
                }
            }
        }
    }

    private static void validateEngagement(EngagementRule r, String path, Set<String> ids, List<FieldError> errors) {
        if (r == null) {
            errors.add(new FieldError(path, "must not be null"));
            return;
        }
        checkId(r.id(), path, ids, errors);
        if (r.activityType() != null && !Activity.TYPES.contains(r.activityType())) {
            errors.add(new FieldError(path + ".activityType", "must be one of " + Activity.TYPES.stream().sorted().toList()));
        }
        if (r.urlPattern() != null) {
            regex(r.urlPattern(), path + ".urlPattern", errors);
        }
        if (r.assetPattern() != null) {
            regex(r.assetPattern(), path + ".assetPattern", errors);
        }
        if (r.minSeconds() != null && r.minSeconds() < 0) {
            errors.add(new FieldError(path + ".minSeconds", "must not be negative"));
        }
        if (r.points() == 0 || Double.isNaN(r.points()) || Double.isInfinite(r.points())) {
            errors.add(new FieldError(path + ".points", "must be a non-zero number"));
        }
        if (r.cap() != null && !(r.cap() > 0)) {
            errors.add(new FieldError(path + ".cap", "must be greater than 0"));
        }
        if (r.halfLifeDays() != null && !(r.halfLifeDays() > 0)) {
            errors.add(new FieldError(path + ".halfLifeDays", "must be greater than 0"));
        }
    }

    private static void checkId(String id, String path, Set<String> ids, List<FieldError> errors) {
        if (id == null || id.isBlank()) {
            errors.add(new FieldError(path + ".id", "must not be blank"));
        } else if (!ids.add(id)) {
            errors.add(new FieldError(path + ".id", "rule id '" + id + "' is used twice"));
        }
    }

    private static void regex(String pattern, String field, List<FieldError> errors) {
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            errors.add(new FieldError(field, "is not a valid regular expression: " + e.getDescription()));
        }
    }
}
