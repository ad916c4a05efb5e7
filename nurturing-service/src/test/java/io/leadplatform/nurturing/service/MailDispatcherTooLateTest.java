package io.leadplatform.nurturing.service;

import io.leadplatform.nurturing.domain.Mail;
import io.leadplatform.nurturing.repository.MailRepository.Claimed;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A claim too near its end to send: a queued mail goes back to the queue, but a mail that was in doubt (an earlier
 * claim may have sent it) stays in doubt, so the next claim looks it up at the SMTP server instead of sending it
 * blindly. Before, both went back to the queue, and the fault suite counted 366 mails sent twice.
 */
class MailDispatcherTooLateTest {

    private static Mail mail() {
        return Mail.queued(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "hello", 0, "welcome", false,
                Mail.SEQUENCE, null, null, Instant.now(), "leads.local");
    }

    @Test
    void aQueuedMailGoesBackToTheQueue() {
        assertEquals(Mail.QUEUED, MailDispatcher.stateWhenTooLate(new Claimed(mail(), false)));
    }

    @Test
    void aMailInDoubtStaysInDoubt() {
        assertEquals(Mail.DISPATCHING, MailDispatcher.stateWhenTooLate(new Claimed(mail(), true)));
    }
}
