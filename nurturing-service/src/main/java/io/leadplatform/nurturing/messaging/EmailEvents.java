package io.leadplatform.nurturing.messaging;

import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.nurturing.domain.Mail;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the {@code email.event} outbox rows (topic nurturing.events, key = lead id); the caller inserts them in its transaction. */
@ApplicationScoped
public class EmailEvents {

    public static final String SENT = "sent";
    public static final String DELIVERED = "delivered";
    public static final String OPENED = "opened";
    public static final String CLICKED = "clicked";
    public static final String BOUNCED = "bounced";
    public static final String COMPLAINED = "complained";
    public static final String UNSUBSCRIBED = "unsubscribed";

    private final Outbox outbox;

    public EmailEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** What happened, with classification (opened/clicked), reason and bounce type where they apply. */
    public record Detail(String url, String classification, String reason, String bounceType) {
        public static Detail none() {
            return new Detail(null, null, null, null);
        }
    }

    public OutboxEvent event(Mail mail, String kind, Instant at, Detail detail) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", mail.leadId().toString());
        data.put("emailId", mail.id().toString());
        data.put("sequenceId", mail.sequenceId() == null ? null : mail.sequenceId().toString());
        data.put("sequenceVersion", mail.sequenceVersion());
        data.put("stepId", mail.stepId());
        data.put("templateId", mail.templateId());
        data.put("transactional", mail.transactional());
        data.put("kind", kind);
        // scoring ignores bot events: bots and privacy proxies are both "not the reader"
        data.put("bot", detail.classification() != null && !"human".equals(detail.classification()));
        data.put("classification", detail.classification());
        data.put("url", detail.url());
        data.put("reason", detail.reason());
        data.put("bounceType", detail.bounceType());
        data.put("occurredAt", at.toString());
        return outbox.prepare(EventTypes.EMAIL_EVENT, mail.leadId(), data);
    }

    /** After the transaction that inserted the rows committed: the relay publishes them shortly. */
    public void committed() {
        outbox.committed();
    }

    public Outbox outbox() {
        return outbox;
    }
}
