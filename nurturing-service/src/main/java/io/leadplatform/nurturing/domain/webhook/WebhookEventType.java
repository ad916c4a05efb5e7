package io.leadplatform.nurturing.domain.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.contracts.EventTypes;

import java.util.Arrays;
import java.util.Optional;

/**
 * The event types a webhook subscription can ask for, and which platform event each comes from.
 * {@link #TEST} is only sent by the test endpoint and cannot be subscribed to.
 */
public enum WebhookEventType {

    LEAD_CAPTURED("lead.captured", "a new lead was captured (capture.events lead.captured)"),
    LEAD_MQL("lead.mql", "a lead became marketing-qualified (scoring.events lead.stage-changed to MQL)"),
    LEAD_SQL("lead.sql", "sales accepted a lead as sales-qualified (scoring.events lead.stage-changed to SQL)"),
    DEAL_CLOSED("deal.closed", "sales closed a deal, won or lost (scoring.events deal.closed)"),
    EMAIL_UNSUBSCRIBED("email.unsubscribed", "a lead unsubscribed (nurturing.events email.event kind unsubscribed)"),
    EMAIL_BOUNCED("email.bounced", "an e-mail bounced (nurturing.events email.event kind bounced)"),
    EMAIL_COMPLAINED("email.complained", "a recipient reported an e-mail as spam (nurturing.events email.event kind complained)"),
    TEST("webhook.test", "sent by POST .../subscriptions/{id}/test only");

    private final String type;
    private final String description;

    WebhookEventType(String type, String description) {
        this.type = type;
        this.description = description;
    }

    public String type() {
        return type;
    }

    public String description() {
        return description;
    }

    public boolean subscribable() {
        return this != TEST;
    }

    public static Optional<WebhookEventType> ofType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    /** The webhook type a platform event turns into, if any (most events are not sent out). */
    public static Optional<WebhookEventType> fromEvent(String eventType, JsonNode data) {
        return switch (eventType) {
            case EventTypes.LEAD_CAPTURED -> Optional.of(LEAD_CAPTURED);
            case EventTypes.STAGE_CHANGED -> switch (data.path("to").asText()) {
                case "MQL" -> Optional.of(LEAD_MQL);
                case "SQL" -> Optional.of(LEAD_SQL);
                default -> Optional.empty();
            };
            case EventTypes.DEAL_CLOSED -> Optional.of(DEAL_CLOSED);
            case EventTypes.EMAIL_EVENT -> switch (data.path("kind").asText()) {
                case "unsubscribed" -> Optional.of(EMAIL_UNSUBSCRIBED);
                case "bounced" -> Optional.of(EMAIL_BOUNCED);
                case "complained" -> Optional.of(EMAIL_COMPLAINED);
                default -> Optional.empty();
            };
            default -> Optional.empty();
        };
    }
}
