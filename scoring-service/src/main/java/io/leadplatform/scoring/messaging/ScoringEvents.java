package io.leadplatform.scoring.messaging;

import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.StageTransition;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** lead.scored and lead.stage-changed, through the outbox (contracts/events). */
@ApplicationScoped
public class ScoringEvents {

    private final Outbox outbox;

    public ScoringEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<UUID> scored(LeadScore s) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", s.leadId.toString());
        data.put("fit", s.fit);
        data.put("grade", s.grade);
        data.put("engagement", s.engagement);
        data.put("temperature", s.temperature);
        data.put("modelVersion", s.modelVersion);
        data.put("scoredAt", s.updatedAt.toString());
        data.put("contributions", s.contributions);
        return outbox.add(EventTypes.LEAD_SCORED, s.leadId, data);
    }

    public Uni<UUID> stageChanged(StageTransition t, String channel) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", t.leadId.toString());
        data.put("from", t.fromStage == null ? null : t.fromStage.name());
        data.put("to", t.toStage.name());
        data.put("reason", t.reason);
        data.put("actor", t.actor);
        data.put("channel", channel);
        data.put("changedAt", t.changedAt.toString());
        return outbox.add(EventTypes.STAGE_CHANGED, t.leadId, data);
    }
}
