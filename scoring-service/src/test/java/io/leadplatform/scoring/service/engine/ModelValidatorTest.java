package io.leadplatform.scoring.service.engine;

import io.leadplatform.common.rest.Problem.FieldError;
import io.leadplatform.scoring.service.engine.ModelDefinition.GradeBand;
import io.leadplatform.scoring.service.engine.ModelDefinition.MqlThreshold;
import io.leadplatform.scoring.service.engine.ModelDefinition.Temperatures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.leadplatform.scoring.service.engine.Models.fit;
import static io.leadplatform.scoring.service.engine.Models.model;
import static io.leadplatform.scoring.service.engine.Models.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelValidatorTest {

    private static Map<String, String> errors(ModelDefinition m) {
        return ModelValidator.validate(m).stream().collect(Collectors.toMap(FieldError::field, FieldError::message, (a, b) -> a + " | " + b));
    }

    @Test
    void seededDefaultAndSimpleModelsAreValid() {
        assertEquals(Map.of(), errors(Models.seededDefault()));
        assertEquals(Map.of(), errors(model(List.of(fit("c", "company", "present", null, null, null, null, 5)),
                List.of(rule("pv", "page_view", "/x", 10, 1, 5d, 7d)))));
    }

    @Test
    void badRegexIsNamed() {
        var e = errors(model(List.of(fit("r", "jobTitle", "regex", "([a-z", null, null, null, 5)),
                List.of(new ModelDefinition.EngagementRule("u", "page_view", "(unclosed", "[", null, 1, null, null, null))));
        assertTrue(e.get("fitRules[0].value").startsWith("is not a valid regular expression"), e.toString());
        assertTrue(e.containsKey("engagementRules[0].urlPattern"), e.toString());
        assertTrue(e.containsKey("engagementRules[0].assetPattern"), e.toString());
    }

    @Test
    void emptyAndOverlappingBandsAreRejected() {
        var noBands = new ModelDefinition(List.of(), List.of(), List.of(), new Temperatures(50, 20), new MqlThreshold("B", 40));
        assertEquals("must not be empty", errors(noBands).get("gradeBands"));
        var overlapping = new ModelDefinition(List.of(), List.of(new GradeBand("A", 20), new GradeBand("B", 20)), List.of(),
                new Temperatures(50, 20), new MqlThreshold("B", 40));
        assertTrue(errors(overlapping).get("gradeBands[0].minFit").startsWith("bands overlap"), errors(overlapping).toString());
        var inverted = new ModelDefinition(List.of(), List.of(new GradeBand("C", 30), new GradeBand("A", 10)), List.of(),
                new Temperatures(50, 20), new MqlThreshold("B", 40));
        assertTrue(errors(inverted).containsKey("gradeBands[1].minFit"), errors(inverted).toString());
        var duplicate = new ModelDefinition(List.of(), List.of(new GradeBand("A", 30), new GradeBand("A", 10)), List.of(),
                new Temperatures(50, 20), new MqlThreshold("B", 40));
        assertTrue(errors(duplicate).containsKey("gradeBands[1].grade"));
        var gradeF = new ModelDefinition(List.of(), List.of(new GradeBand("F", 0)), List.of(), new Temperatures(50, 20), new MqlThreshold("B", 40));
        assertTrue(errors(gradeF).containsKey("gradeBands[0].grade"));
    }

    @Test
    void operatorsNeedTheirArguments() {
        var e = errors(model(List.of(
                fit("a", "x", "nonsense", null, null, null, null, 1),
                fit("b", "x", "equals", null, null, null, null, 1),
                fit("c", "x", "one_of", null, List.of(), null, null, 1),
                fit("d", "x", "range", null, null, null, null, 1),
                fit("e", "x", "range", null, null, 10d, 5d, 1),
                fit("f", null, "present", null, null, null, null, 1),
                fit("g", "x", "present", null, null, null, null, 0),
                fit("a", "x", "present", null, null, null, null, 1)), List.of()));
        assertTrue(e.get("fitRules[0].operator").startsWith("must be one of"));
        assertTrue(e.containsKey("fitRules[1].value"));
        assertTrue(e.containsKey("fitRules[2].values"));
        assertTrue(e.containsKey("fitRules[3].min"));
        assertEquals("must not be less than min", e.get("fitRules[4].max"));
        assertTrue(e.containsKey("fitRules[5].field"));
        assertTrue(e.containsKey("fitRules[6].points"));
        assertEquals("rule id 'a' is used twice", e.get("fitRules[7].id"));
    }

    @Test
    void engagementRuleLimits() {
        var e = errors(model(List.of(), List.of(
                rule("a", "teleport", null, null, 1, null, null),
                rule("b", "page_view", null, -1, 1, null, null),
                rule("c", "page_view", null, null, 0, null, null),
                rule("d", "page_view", null, null, 1, 0d, null),
                rule("e", "page_view", null, null, 1, null, -3d))));
        assertTrue(e.containsKey("engagementRules[0].activityType"));
        assertTrue(e.containsKey("engagementRules[1].minSeconds"));
        assertTrue(e.containsKey("engagementRules[2].points"));
        assertTrue(e.containsKey("engagementRules[3].cap"));
        assertTrue(e.containsKey("engagementRules[4].halfLifeDays"));
    }

    @Test
    void thresholdsAreChecked() {
        var e = errors(new ModelDefinition(List.of(), Models.BANDS, List.of(), new Temperatures(20, 20), new MqlThreshold("F", 0)));
        assertTrue(e.containsKey("temperatures.hot"));
        assertTrue(e.containsKey("mql.minGrade"));
        assertTrue(e.containsKey("mql.minEngagement"));
        var missing = errors(new ModelDefinition(null, Models.BANDS, null, null, null));
        assertTrue(missing.keySet().containsAll(List.of("fitRules", "engagementRules", "temperatures", "mql")), missing.toString());
    }
}
