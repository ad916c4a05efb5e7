package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.repository.FormSubmissionRepository;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.leadplatform.capture.repository.FormRepository;
import io.leadplatform.capture.rest.FormDefinition;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Use cases: marketing defines forms and reads their stats; front ends render them. */
@ApplicationScoped
public class FormService {

    private final FormRepository forms;
    private final SpamGuard spam;
    private final FormTokens tokens;
    private final CaptureService capture;
    private final FormCache cache;
    private final Pool pool;
    private final FormSubmissionRepository submissions;

    public FormService(FormRepository forms, SpamGuard spam, FormTokens tokens, CaptureService capture, FormCache cache, Pool pool,
                       FormSubmissionRepository submissions) {
        this.pool = pool;
        this.submissions = submissions;
        this.cache = cache;
        this.forms = forms;
        this.spam = spam;
        this.tokens = tokens;
        this.capture = capture;
    }

    public Uni<Form> create(FormDefinition definition) {
        requireValid(definition);
        return pool.withTransaction(c -> forms.findByKey(c, definition.key()).chain(existing -> {
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
            return forms.insert(c, form);
        }));
    }

    public Uni<Form> update(String formKey, FormDefinition definition) {
        if (definition != null && definition.key() != null && !definition.key().equals(formKey)) {
            throw ProblemException.invalid("key", "must be '" + formKey + "' (a form's key cannot change)");
        }
        FormDefinition withKey = definition == null ? null : new FormDefinition(formKey, definition.name(), definition.channel(),
                definition.campaign(), definition.fields(), definition.consent(), definition.doubleOptIn(),
                definition.allowedOrigins(), definition.successRedirect(), definition.confirmRedirect(), definition.offer(),
                definition.requireRenderToken(), definition.rateLimits(), null, null);
        requireValid(withKey);
        return pool.withTransaction(c -> get(c, formKey).chain(form -> {
            FormDefinitions.apply(withKey, form);
            cache.invalidate(formKey);
            form.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return forms.update(c, form);
        }));
    }

    public Uni<Form> find(String formKey) {
        return get(pool, formKey);
    }

    public Uni<List<Form>> list() {
        return forms.listAll(pool);
    }

    /** The form as a public front end renders it, with a fresh render token; the Origin must be allowed. */
    public Uni<FormDefinition.Rendering> render(String formKey, String origin) {
        return get(pool, formKey).map(form -> {
            capture.checkOrigin(form, origin);
            FormDefinition d = FormDefinition.of(form);
            return new FormDefinition.Rendering(form.formKey, form.name, form.fields, d.consent(), form.doubleOptIn,
                    d.offer(), spam.honeypotField(), tokens.renderToken(form.formKey, Instant.now()),
                    "/api/capture/forms/" + form.formKey + "/submissions");
        });
    }

    /** Checks the Origin of a CORS preflight against the form. */
    public Uni<Form> preflight(String formKey, String origin) {
        return get(pool, formKey).invoke(form -> capture.checkOrigin(form, origin));
    }

    public Uni<FormDefinition.Stats> stats(String formKey, Instant from, Instant to) {
        return get(pool, formKey).chain(form -> submissions.count(pool, form.id, from, to)
                .chain(accepted -> submissions.spamByReason(pool, form.id, from, to).map(byReason -> {
                    long total = byReason.values().stream().mapToLong(Long::longValue).sum();
                    return new FormDefinition.Stats(form.formKey, from, to, accepted, total, byReason);
                })));
    }

    private Uni<Form> get(SqlClient c, String formKey) {
        return forms.findByKey(c, formKey).onItem().ifNull().failWith(() -> ProblemException.notFound("no form '" + formKey + "'"));
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
