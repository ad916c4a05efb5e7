package io.leadplatform.nurturing.service;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.domain.Contact;
import io.leadplatform.nurturing.domain.Mail;
import io.leadplatform.nurturing.repository.ContactRepository;
import io.leadplatform.nurturing.repository.MailRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Reads: a lead's contact (consent, suppression) and the mails sent to it. */
@ApplicationScoped
public class ContactService {

    private final Pool pool;
    private final ContactRepository contacts;
    private final MailRepository mails;

    public ContactService(Pool pool, ContactRepository contacts, MailRepository mails) {
        this.pool = pool;
        this.contacts = contacts;
        this.mails = mails;
    }

    public Uni<Contact> get(UUID leadId) {
        return pool.withConnection(c -> contacts.find(c, leadId))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no contact for lead " + leadId));
    }

    public Uni<List<Mail>> mails(UUID leadId) {
        return pool.withConnection(c -> mails.byLead(c, leadId));
    }
}
