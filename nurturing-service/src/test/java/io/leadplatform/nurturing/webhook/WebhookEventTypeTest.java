package io.leadplatform.nurturing.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadplatform.nurturing.domain.webhook.WebhookEventType;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WebhookEventTypeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Optional<String> map(String type, String field, String value) {
        ObjectNode data = MAPPER.createObjectNode();
        if (field != null) {
            data.put(field, value);
        }
        return WebhookEventType.fromEvent(type, data).map(WebhookEventType::type);
    }

    @Test
    void platformEventsBecomeWebhookTypes() {
        assertEquals(Optional.of("lead.captured"), map("lead.captured", null, null));
        assertEquals(Optional.of("lead.mql"), map("lead.stage-changed", "to", "MQL"));
        assertEquals(Optional.of("lead.sql"), map("lead.stage-changed", "to", "SQL"));
        assertEquals(Optional.empty(), map("lead.stage-changed", "to", "LEAD"));
        assertEquals(Optional.of("deal.closed"), map("deal.closed", null, null));
        assertEquals(Optional.of("email.unsubscribed"), map("email.event", "kind", "unsubscribed"));
        assertEquals(Optional.of("email.bounced"), map("email.event", "kind", "bounced"));
        assertEquals(Optional.of("email.complained"), map("email.event", "kind", "complained"));
        assertEquals(Optional.empty(), map("email.event", "kind", "opened"));
        assertEquals(Optional.empty(), map("lead.scored", null, null));
        assertEquals(Optional.empty(), map("lead.updated", null, null));
    }
}
