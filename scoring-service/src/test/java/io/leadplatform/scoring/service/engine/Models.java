package io.leadplatform.scoring.service.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.scoring.service.engine.ModelDefinition.EngagementRule;
import io.leadplatform.scoring.service.engine.ModelDefinition.FitRule;
import io.leadplatform.scoring.service.engine.ModelDefinition.GradeBand;
import io.leadplatform.scoring.service.engine.ModelDefinition.MqlThreshold;
import io.leadplatform.scoring.service.engine.ModelDefinition.Temperatures;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Model builders for the engine's unit tests. */
final class Models {

    static final List<GradeBand> BANDS = List.of(new GradeBand("A", 40), new GradeBand("B", 30), new GradeBand("C", 20),
            new GradeBand("D", 10), new GradeBand("E", 1));

    private Models() {
    }

    static FitRule fit(String id, String field, String op, String value, List<String> values, Double min, Double max, int points) {
        return new FitRule(id, field, op, value, values, min, max, points, id);
    }

    static EngagementRule rule(String id, String type, String url, Integer minSeconds, double points, Double cap, Double halfLife) {
        return new EngagementRule(id, type, url, null, minSeconds, points, cap, halfLife, id);
    }

    static ModelDefinition model(List<FitRule> fit, List<EngagementRule> engagement) {
        return new ModelDefinition(fit, BANDS, engagement, new Temperatures(50, 20), new MqlThreshold("B", 40));
    }

    /** The default model seeded by the V2_1 migration. */
    static ModelDefinition seededDefault() {
        try (InputStream in = Models.class.getResourceAsStream("/db/migration/V2_1__models_and_activities.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String json = sql.substring(sql.indexOf("'{") + 1, sql.lastIndexOf("}'") + 1);
            return new ObjectMapper().readValue(json, ModelDefinition.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
