package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.domain.FormSubmission;
import io.leadplatform.capture.repository.FormRepository;
import io.leadplatform.capture.rest.FormDefinition;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Use cases: marketing defines forms and reads their stats; front ends render them. */
@ApplicationScoped
public class FormService {

    private final FormRepository forms;
    private final SpamGuard spam;
    private final FormTokens tokens;
    private final CaptureService capture;
    private final FormCache cache;

    public FormService(FormRepository forms, SpamGuard spam, FormTokens tokens, CaptureService capture, FormCache cache) {
        this.cache = cache;
        this.forms = forms;
        this.spam = spam;
        this.tokens = tokens;
        this.capture = capture;
    }

    @WithTransaction
    public Uni<Form> create(FormDefinition definition) {
        requireValid(definition);
        return forms.findByKey(definition.key()).chain(existing -> {
            if (existing != null) {
                throw ProblemException.conflict("a form with key '" + definition.key() + "' exists");
            }
            Form form = new Form();
            form.id = UUID.randomUUID();
            form.formKey = definition.key();
            form.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            form.updatedAt = form.createdAt;
            FormDefinitions.apply(definition, form);
            cache.invalidate(form.formKey);
            return forms.persist(form);
        });
    }

    @WithTransaction
    public Uni<Form> update(String formKey, FormDefinition definition) {
        if (definition != null && definition.key() != null && !definition.key().equals(formKey)) {
            throw ProblemException.invalid("key", "must be '" + formKey + "' (a form's key cannot change)");
        }
        FormDefinition withKey = definition == null ? null : new FormDefinition(formKey, definition.name(), definition.channel(),
                definition.campaign(), definition.fields(), definition.consent(), definition.doubleOptIn(),
                definition.allowedOrigins(), definition.successRedirect(), definition.confirmRedirect(), definition.offer(),
                definition.requireRenderToken(), definition.rateLimits(), null, null);
        requireValid(withKey);
        return get(formKey).invoke(form -> {
            FormDefinitions.apply(withKey, form);
            cache.invalidate(formKey);
            form.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        });
    }

    @WithSession
    public Uni<Form> find(String formKey) {
        return get(formKey);
    }

    @WithSession
    public Uni<List<Form>> list() {
        return forms.listAll(io.quarkus.panache.common.Sort.by("formKey"));
    }

    /** The form as a public front end renders it, with a fresh render token; the Origin must be allowed. */
    @WithSession
    public Uni<FormDefinition.Rendering> render(String formKey, String origin) {
        return get(formKey).map(form -> {
            capture.checkOrigin(form, origin);
            FormDefinition d = FormDefinition.of(form);
            return new FormDefinition.Rendering(form.formKey, form.name, form.fields, d.consent(), form.doubleOptIn,
                    d.offer(), spam.honeypotField(), tokens.renderToken(form.formKey, Instant.now()),
                    "/api/capture/forms/" + form.formKey + "/submissions");
        });
    }

    /** Checks the Origin of a CORS preflight against the form. */
    @WithSession
    public Uni<Form> preflight(String formKey, String origin) {
        return get(formKey).invoke(form -> capture.checkOrigin(form, origin));
    }

    @WithSession
    public Uni<FormDefinition.Stats> stats(String formKey, Instant from, Instant to) {
        return get(formKey).chain(form -> FormSubmission
                .count("formId = ?1 and receivedAt >= ?2 and receivedAt < ?3", form.id, from, to)
                .chain(submissions -> Panache.getSession().chain(s -> s.createSelectionQuery(
                                "select s.reason, count(s) from SpamSubmission s"
                                        + " where s.formId = ?1 and s.receivedAt >= ?2 and s.receivedAt < ?3 group by s.reason",
                                Object[].class)
                        .setParameter(1, form.id).setParameter(2, from).setParameter(3, to)
                        .getResultList())
                        .map(rows -> {
                            Map<String, Long> byReason = new TreeMap<>();
                            long total = 0;
                            for (Object[] row : rows) {
                                long n = ((Number) row[1]).longValue();
                                byReason.put((String) row[0], n);
                                total += n;
                            }
                            return new FormDefinition.Stats(form.formKey, from, to, submissions, total, byReason);
                        })));
    }

    private Uni<Form> get(String formKey) {
        return forms.findByKey(formKey).onItem().ifNull().failWith(() -> ProblemException.notFound("no form '" + formKey + "'"));
    }

    private void requireValid(FormDefinition definition) {
        if (definition == null) {
            throw new ProblemException(Problem.of(400, "Malformed request body", "a form definition is required"));
        }
        List<Problem.FieldError> errors = FormDefinitions.validate(definition, spam.honeypotField());
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
    }
}
