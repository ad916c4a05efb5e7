package io.leadplatform.nurturing.service;

import io.leadplatform.nurturing.repository.ContactRepository;
import io.leadplatform.nurturing.repository.MailRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Use case: never mail a lead again after a hard bounce or a complaint. In the caller's transaction:
 * the contact is marked suppressed (checked at send time), every enrollment ends, and queued mails
 * (transactional ones too) are suppressed. Used for an SMTP 5xx (MailDispatcher) and for an ESP's bounce or complaint.
 */
@ApplicationScoped
public class SuppressionService {

    /** Why: the value stored in contact.suppressed and the reason written to enrollments and mails. */
    public enum Reason {
        HARD_BOUNCE("hard_bounce", "hard bounce"),
        COMPLAINT("complaint", "complaint");

        private final String stored;
        private final String text;

        Reason(String stored, String text) {
            this.stored = stored;
            this.text = text;
        }
    }

    private final ContactRepository contacts;
    private final EnrollmentService enrollment;
    private final MailRepository mails;

    public SuppressionService(ContactRepository contacts, EnrollmentService enrollment, MailRepository mails) {
        this.contacts = contacts;
        this.enrollment = enrollment;
        this.mails = mails;
    }

    public Uni<Void> suppress(SqlClient c, UUID leadId, Reason reason) {
        return contacts.suppress(c, leadId, reason.stored)
                .chain(() -> enrollment.exitAll(c, leadId, reason.text))
                .chain(() -> mails.suppressQueued(c, leadId, true, reason.text))
                .replaceWithVoid();
    }
}
