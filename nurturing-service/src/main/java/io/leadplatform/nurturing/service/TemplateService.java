package io.leadplatform.nurturing.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.domain.Contact;
import io.leadplatform.nurturing.domain.EmailTemplate;
import io.leadplatform.nurturing.domain.Mail;
import io.leadplatform.nurturing.repository.ContactRepository;
import io.leadplatform.nurturing.repository.MailRepository;
import io.leadplatform.nurturing.repository.TemplateRepository;
import io.quarkus.qute.TemplateException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Use cases of e-mail templates: save (checked by rendering), read, preview, test send. */
@ApplicationScoped
public class TemplateService {

    private final Pool pool;
    private final TemplateRepository templates;
    private final ContactRepository contacts;
    private final MailRepository mails;
    private final Renderer renderer;
    private final MailDispatcher dispatcher;
    private final ObjectMapper mapper;

    public TemplateService(Pool pool, TemplateRepository templates, ContactRepository contacts, MailRepository mails,
                           Renderer renderer, MailDispatcher dispatcher, ObjectMapper mapper) {
        this.pool = pool;
        this.templates = templates;
        this.contacts = contacts;
        this.mails = mails;
        this.renderer = renderer;
        this.dispatcher = dispatcher;
        this.mapper = mapper;
    }

    /** Saves a template after rendering it with sample data; answers whether it was new. */
    public Uni<Boolean> save(EmailTemplate t) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (t.id() == null || !t.id().matches("[a-z0-9][a-z0-9-]{0,62}")) {
            errors.add(new Problem.FieldError("id", "must be 1-63 lower-case letters, digits or dashes"));
        }
        check("subject", t.subject(), errors);
        check("html", t.html(), errors);
        if (errors.isEmpty()) {
            try {
                renderer.check(t);
            } catch (TemplateException e) {
                errors.add(new Problem.FieldError(field(t, e), e.getMessage() + " (variables: " + Renderer.VARIABLES + ")"));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(Problem.invalid(errors)));
        }
        return pool.withTransaction(c -> templates.save(c, t));
    }

    private static void check(String field, String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "must not be blank"));
        }
    }

    /** Which part of the template failed: render the parts one by one. */
    private String field(EmailTemplate t, TemplateException e) {
        String[] parts = {t.subject(), t.html(), t.text()};
        String[] names = {"subject", "html", "text"};
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                continue;
            }
            try {
                renderer.check(new EmailTemplate(t.id(), t.name(), i == 0 ? parts[i] : "x", i == 1 ? parts[i] : "x",
                        i == 2 ? parts[i] : null, false, Instant.now(), null));
            } catch (TemplateException failed) {
                return names[i];
            }
        }
        return "html";
    }

    public Uni<EmailTemplate> get(String id) {
        return pool.withConnection(c -> templates.find(c, id))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no template " + id));
    }

    public Uni<List<EmailTemplate>> list() {
        return pool.withConnection(templates::list);
    }

    /** Renders the template for a lead (or sample data) without sending and without tracking. */
    public Uni<Renderer.Rendered> preview(String id, UUID leadId, Map<String, String> variables) {
        return pool.withConnection(c -> templates.find(c, id).chain(t -> {
            if (t == null) {
                return Uni.createFrom().failure(ProblemException.notFound("no template " + id));
            }
            Uni<Contact> lead = leadId == null ? Uni.createFrom().item(sample()) : contacts.find(c, leadId)
                    .onItem().ifNull().failWith(() -> ProblemException.invalid("leadId", "no contact for lead " + leadId));
            return lead.map(contact -> renderer.render(t, contact, variables, renderer.unsubscribeUrl(new UUID(0, 0))));
        }));
    }

    /** Sends the template to one address now (transactional, marked test, with sample or given data); answers the mail id. */
    public Uni<UUID> testSend(String id, String to, Map<String, String> variables) {
        if (to == null || !to.matches("[^@\\s]+@[^@\\s]+")) {
            return Uni.createFrom().failure(ProblemException.invalid("to", "must be an e-mail address"));
        }
        return pool.withTransaction(c -> templates.find(c, id).chain(t -> {
            if (t == null) {
                return Uni.createFrom().failure(ProblemException.notFound("no template " + id));
            }
            Mail mail = Mail.queued(null, null, null, null, null, null, id, true, Mail.TEST, to, json(variables), Instant.now(),
                    dispatcher.messageDomain());
            return mails.queue(c, List.of(mail)).replaceWith(mail.id());
        })).invoke(dispatcher::wakeUp);
    }

    static Contact sample() {
        return new Contact(new UUID(0, 0), "erika.muster@example.com", "Erika", "Muster", "Acme GmbH", "DE", "Europe/Berlin",
                "active", null, null, true, "MQL", "A", "warm", null, null, null, null);
    }

    private String json(Map<String, String> variables) {
        try {
            return variables == null || variables.isEmpty() ? null : mapper.writeValueAsString(variables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
