package io.leadplatform.nurturing.webhook;

import io.leadplatform.nurturing.service.webhook.WebhookSubscriptionService;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without allow-private-targets, literal internal hosts are refused as subscription URLs. */
class WebhookUrlTest {

    @Test
    void internalHostsAreRecognised() {
        for (String host : new String[] {"localhost", "api.localhost", "127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4",
                "169.254.169.254", "[::1]", "0.0.0.0", "[fd00::1]", "printer.local", "db.internal"}) {
            assertTrue(WebhookSubscriptionService.internalHost(host), host);
        }
        for (String host : new String[] {"crm.example.com", "8.8.8.8", "172.32.0.1", "[2001:db8::1]", "hooks.zapier.com"}) {
            assertFalse(WebhookSubscriptionService.internalHost(host), host);
        }
    }
}
