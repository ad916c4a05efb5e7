package io.leadplatform.capture.messaging;

import io.leadplatform.capture.domain.LeadMerge;
import io.leadplatform.capture.domain.VisitorActivity;
import io.leadplatform.capture.domain.WebsiteVisit;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.contracts.EventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Events about a lead's website activity, merges and erasure (contracts/events), via the outbox. */
@ApplicationScoped
public class IdentityEvents {

    private final TransactionOutbox outbox;

    public IdentityEvents(TransactionOutbox outbox) {
        this.outbox = outbox;
    }

    /** lead.activity for tracked website activity of a linked visitor. */
    public Uni<UUID> activity(SqlClient c, VisitorActivity a) {
        return outbox.add(c, activityEvent(a));
    }

    /** The lead.activity outbox row of a linked visitor's activity, not yet written (for batch writers). */
    public OutboxEvent activityEvent(VisitorActivity a) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", a.leadId.toString());
        data.put("visitorId", a.visitorId);
        data.put("activityType", a.activityType);
        data.put("occurredAt", a.occurredAt.toString());
        data.put("url", a.url);
        data.put("asset", a.asset);
        data.put("durationSeconds", a.durationSeconds);
        data.put("bot", false);
        return outbox.prepare(EventTypes.LEAD_ACTIVITY, a.leadId, data);
    }

    /**
     * website.activity of a page view of any visitor (subject and Kafka key = visitor id): no personal data,
     * the lead id only when the visitor is already linked to a lead.
     */
    public OutboxEvent websiteActivityEvent(VisitorActivity a, WebsiteVisit visit) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("visitorId", a.visitorId);
        data.put("sessionId", visit.sessionId());
        data.put("leadId", a.leadId == null ? null : a.leadId.toString());
        data.put("occurredAt", a.occurredAt.toString());
        data.put("path", visit.path());
        data.put("host", visit.host());
        data.put("referrerHost", visit.referrerHost());
        data.put("utm", visit.utm());
        data.put("channel", visit.channel().id());
        data.put("durationSeconds", a.durationSeconds);
        data.put("sessionStart", visit.sessionStart());
        return outbox.prepare(EventTypes.WEBSITE_ACTIVITY, UUID.fromString(a.visitorId), data);
    }

    /** lead.merged about the lead that was folded into the survivor (subject = the merged lead). */
    public Uni<UUID> merged(SqlClient c, LeadMerge merge) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", merge.mergedId.toString());
        data.put("survivorId", merge.survivorId.toString());
        data.put("mergeId", merge.id.toString());
        data.put("mergedAt", merge.mergedAt.toString());
        data.put("undone", false);
        return outbox.add(c, EventTypes.LEAD_MERGED, merge.mergedId, data);
    }

    /** lead.merged with undone = true: the merge was reverted, both leads stand on their own again. */
    public Uni<UUID> mergeUndone(SqlClient c, LeadMerge merge) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", merge.mergedId.toString());
        data.put("survivorId", merge.survivorId.toString());
        data.put("mergeId", merge.id.toString());
        data.put("mergedAt", merge.mergedAt.toString());
        data.put("undone", true);
        return outbox.add(c, EventTypes.LEAD_MERGED, merge.mergedId, data);
    }

    public Uni<UUID> erased(SqlClient c, UUID leadId, Instant erasedAt) {
        return outbox.add(c, EventTypes.LEAD_ERASED, leadId, Map.of("leadId", leadId.toString(), "erasedAt", erasedAt.toString()));
    }
}
