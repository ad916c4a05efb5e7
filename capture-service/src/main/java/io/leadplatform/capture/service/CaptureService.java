package io.leadplatform.capture.service;

import io.leadplatform.capture.config.FormsConfig;
import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.domain.FormSubmission;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.domain.ConsentChange;
import io.leadplatform.capture.messaging.IdentityEvents;
import io.leadplatform.capture.repository.SubmissionWriter;
import io.leadplatform.capture.messaging.TransactionOutbox;
import io.leadplatform.capture.repository.FormSubmissionRepository;
import io.leadplatform.capture.repository.JsonText;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.common.persistence.GroupCommit;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.capture.messaging.LeadEvents;
import io.leadplatform.capture.repository.FormRepository;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.capture.rest.CorsDecision;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Use case: a visitor submits a form. Origin and anti-spam checks first (spam is recorded and
 * counted, never stored as a lead), then the form's field rules; a known e-mail updates its lead
 * (progressive profiling), never a duplicate. Double opt-in forms leave the lead unconfirmed and
 * emit lead.optin-requested.
 */
@ApplicationScoped
public class CaptureService {

    /** Field names a submission may carry for anti-spam; never stored. */
    public static final String RENDER_TOKEN_FIELD = "renderToken";

    private final FormRepository forms;
    private final LeadRepository leads;
    private final LeadEvents events;
    private final SpamGuard spam;
    private final FormTokens tokens;
    private final FormsConfig config;
    private final CorsDecision cors;
    private final jakarta.validation.Validator validator;
    private final IdentityService identity;
    private final FormCache formCache;
    private final GroupCommit<SubmissionWriter.Item, SubmissionWriter.Result> writes;
    private final IdentityEvents identityEvents;
    private final TransactionOutbox outbox;
    private final ObjectMapper mapper;
    private final Pool pool;
    private final FormSubmissionRepository submissions;

    public CaptureService(FormRepository forms, LeadRepository leads, LeadEvents events, SpamGuard spam,
                          FormTokens tokens, FormsConfig config, CorsDecision cors, jakarta.validation.Validator validator,
                          IdentityService identity, FormCache formCache, SubmissionWriter writer, IdentityEvents identityEvents,
                          TransactionOutbox outbox, ObjectMapper mapper, Pool pool, FormSubmissionRepository submissions) {
        this.pool = pool;
        this.submissions = submissions;
        this.formCache = formCache;
        this.writes = new GroupCommit<>(writer::write, config.writes().maxBatch(), config.writes().maxInFlight());
        this.identityEvents = identityEvents;
        this.outbox = outbox;
        this.mapper = mapper;
        this.validator = validator;
        this.forms = forms;
        this.leads = leads;
        this.events = events;
        this.spam = spam;
        this.tokens = tokens;
        this.config = config;
        this.cors = cors;
        this.identity = identity;
    }

    /** A JSON submission (already bean-validated): stores it, creates or updates the lead, writes its events; one transaction. */
    public Uni<Outcome> submit(String formKey, SubmissionRequest request, SubmissionContext context) {
        return submit(formKey, form -> request, false, context);
    }

    /** A plain HTML form post, mapped by HtmlForms and bean-validated here (after the anti-spam checks). */
    public Uni<Outcome> submitHtml(String formKey, Map<String, List<String>> params, SubmissionContext context) {
        return submit(formKey, form -> HtmlForms.toRequest(form, params), true, context);
    }

    /**
     * The form comes from the FormCache; spam and new leads go to the group-committed SubmissionWriter
     * (many submissions per transaction); a submission whose e-mail is known updates that lead in a
     * transaction of its own (progressive profiling, merges followed to the survivor).
     */
    private Uni<Outcome> submit(String formKey, java.util.function.Function<Form, SubmissionRequest> toRequest,
                                boolean beanValidate, SubmissionContext context) {
        return formCache.get(formKey)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no form '" + formKey + "'"))
                .chain(form -> {
                    checkOrigin(form, context.origin());
                    SubmissionRequest request = toRequest.apply(form);
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    Map<String, Object> fields = request.fields() == null ? Map.of() : request.fields();
                    String renderToken = context.renderToken() != null ? context.renderToken()
                            : fields.get(RENDER_TOKEN_FIELD) instanceof String s ? s : null;
                    Object honeypot = fields.get(spam.honeypotField());
                    String reason = spam.check(form, context.clientIp(), honeypot == null ? null : String.valueOf(honeypot),
                            renderToken, now);
                    if (reason != null) {
                        return writes.submit(new SubmissionWriter.Spam(form.id, reason, now))
                                .invoke(() -> spam.count(reason))
                                .replaceWith(new Outcome(null, false, reason, form.successRedirect));
                    }
                    SubmissionRequest clean = withoutAntiSpamFields(request);
                    if (beanValidate) {
                        var violations = validator.validate(clean);
                        if (!violations.isEmpty()) {
                            throw new jakarta.validation.ConstraintViolationException(violations);
                        }
                    }
                    List<Problem.FieldError> errors = new ArrayList<>(SubmissionRules.validate(form, clean));
                    errors.addAll(consentErrors(form, clean));
                    if (!errors.isEmpty()) {
                        throw new ProblemException(Problem.invalid(errors));
                    }
                    SubmissionWriter.NewLead item = newLead(form, clean, now);
                    return writes.submit(item).chain(result -> result == SubmissionWriter.Result.CREATED
                            ? Uni.createFrom().item(new Outcome(item.lead().id, true, null, form.successRedirect))
                            : pool.withTransaction(c -> leads.findByEmail(c, clean.email()).chain(found -> identity.survivorOf(c, found))
                                    .chain(existing -> existing == null ? create(c, form, clean, now) : update(c, existing, form, clean, now))));
                });
    }

    /** A submission that creates a lead, ready for the SubmissionWriter: the lead, its rows and its events. */
    private SubmissionWriter.NewLead newLead(Form form, SubmissionRequest request, Instant now) {
        Lead lead = newLeadOf(form, request, now);
        boolean optIn = requestOptIn(lead, form);
        String source = "form:" + form.formKey;
        List<ConsentChange> consents = lead.consents.stream()
                .filter(c -> now.equals(c.recordedAt()) && source.equals(c.source()))
                .map(c -> ConsentChange.of(lead.id, c))
                .toList();
        try {
            return new SubmissionWriter.NewLead(lead, UUID.randomUUID(), form.id, request.visitorId(),
                    mapper.writeValueAsString(payloadOf(request)), mapper.writeValueAsString(lead.utm),
                    mapper.writeValueAsString(lead.fields), JsonText.consents(lead.consents), consents, source,
                    events.capturedEvent(lead), optIn ? optinEvent(lead, form, now) : null, identityEvents::activityEvent);
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.of(400, "Malformed request body", "the submission cannot be stored as JSON"));
        }
    }

    /** Answers whether the origin may use the form: no Origin (not a cross-origin browser call) or a listed one. */
    public void checkOrigin(Form form, String origin) {
        if (origin == null) {
            return;
        }
        String normalized = FormDefinitions.normalizeOrigin(origin);
        if (normalized == null || !form.allowedOrigins.contains(normalized)) {
            throw new ProblemException(Problem.of(403, "Forbidden", "origin not allowed for form '" + form.formKey + "'"));
        }
        cors.allow(origin);
    }

    /**
     * Double opt-in: verifies the signed, expiring token and confirms the lead (lead.updated with its
     * consents now in force). Using the link again changes nothing. Answers where to redirect (or null).
     */
    public Uni<String> confirm(String formKey, String token) {
        FormTokens.ConfirmClaim claim = tokens.verifyConfirm(token);
        if (claim == null || !claim.formKey().equals(formKey)) {
            throw new ProblemException(Problem.of(400, "Invalid confirmation link", "the link is not one this service sent"));
        }
        if (claim.expiresAt().isBefore(Instant.now())) {
            throw new ProblemException(Problem.of(410, "Confirmation link expired",
                    "the link expired at " + claim.expiresAt() + "; submit the form again for a new one"));
        }
        return pool.withTransaction(c -> forms.findByKey(c, formKey)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no form '" + formKey + "'"))
                .chain(form -> leads.findById(c, claim.leadId())
                        .onItem().ifNull().failWith(() -> new ProblemException(Problem.of(410, "Gone", "the lead no longer exists")))
                        .chain(lead -> {
                            String target = form.confirmRedirect != null ? form.confirmRedirect : form.successRedirect;
                            if (!Lead.STATUS_UNCONFIRMED.equals(lead.status)) {
                                return Uni.createFrom().item(target);
                            }
                            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                            lead.status = Lead.STATUS_CONFIRMED;
                            lead.confirmedAt = now;
                            lead.updatedAt = now;
                            return leads.update(c, lead).chain(() -> events.updated(c, lead)).replaceWith(target);
                        })));
    }

    private Uni<Outcome> create(SqlClient c, Form form, SubmissionRequest request, Instant now) {
        Lead lead = newLeadOf(form, request, now);
        boolean optIn = requestOptIn(lead, form);
        return leads.insert(c, lead)
                .chain(() -> record(c, form, lead, request, now))
                .chain(() -> outbox.addAll(c, leadEvents(events.capturedEvent(lead), lead, form, now, optIn)))
                .replaceWith(new Outcome(lead.id, true, null, form.successRedirect));
    }

    private Lead newLeadOf(Form form, SubmissionRequest request, Instant now) {
        Lead lead = new Lead();
        lead.id = UUID.randomUUID();
        lead.email = request.email().trim().toLowerCase(Locale.ROOT);
        lead.source = "form";
        lead.sourceRef = form.formKey;
        lead.channel = form.channel;
        lead.campaign = form.campaign;
        lead.createdAt = now;
        applyProfile(lead, form, request, now);
        return lead;
    }

    private Uni<Outcome> update(SqlClient c, Lead lead, Form form, SubmissionRequest request, Instant now) {
        applyProfile(lead, form, request, now);
        boolean optIn = requestOptIn(lead, form);
        return record(c, form, lead, request, now)
                .chain(() -> leads.update(c, lead))
                .chain(() -> outbox.addAll(c, leadEvents(events.updatedEvent(lead), lead, form, now, optIn)))
                .replaceWith(new Outcome(lead.id, false, null, form.successRedirect));
    }

    /** A double opt-in form leaves a lead that has not confirmed yet unconfirmed (its consents not in force). */
    private static boolean requestOptIn(Lead lead, Form form) {
        if (form.doubleOptIn && !Lead.STATUS_CONFIRMED.equals(lead.status)) {
            lead.status = Lead.STATUS_UNCONFIRMED;
            return true;
        }
        return false;
    }

    /** lead.captured or lead.updated, then lead.optin-requested when the form asks for a confirmation. */
    private List<OutboxEvent> leadEvents(OutboxEvent first, Lead lead, Form form, Instant now, boolean optIn) {
        return optIn ? List.of(first, optinEvent(lead, form, now)) : List.of(first);
    }

    /** lead.optin-requested with a signed, expiring confirmation link. */
    private OutboxEvent optinEvent(Lead lead, Form form, Instant now) {
        Instant expiresAt = now.plus(config.doubleOptIn().tokenTtl()).truncatedTo(ChronoUnit.SECONDS);
        String url = config.doubleOptIn().confirmBaseUrl() + "/api/capture/forms/" + form.formKey + "/confirm?token="
                + URLEncoder.encode(tokens.confirmToken(lead.id, form.formKey, expiresAt), StandardCharsets.UTF_8);
        return events.optinRequestedEvent(lead, form.formKey, url, expiresAt, form.consentPurposes, form.consentVersion);
    }

    /** Progressive profiling: what the visitor filled in now overwrites, what they left empty is kept. */
    private void applyProfile(Lead lead, Form form, SubmissionRequest r, Instant now) {
        lead.firstName = firstNonBlank(r.firstName(), lead.firstName);
        lead.lastName = firstNonBlank(r.lastName(), lead.lastName);
        lead.company = firstNonBlank(r.company(), lead.company);
        lead.jobTitle = firstNonBlank(r.jobTitle(), lead.jobTitle);
        lead.phone = firstNonBlank(r.phone(), lead.phone);
        lead.country = r.country() != null ? r.country().toUpperCase(Locale.ROOT) : lead.country;
        lead.timeZone = r.timeZone() != null ? r.timeZone() : lead.timeZone;
        if (r.utm() != null && lead.utm.isEmpty()) {
            putIfPresent(lead.utm, "source", r.utm().source());
            putIfPresent(lead.utm, "medium", r.utm().medium());
            putIfPresent(lead.utm, "campaign", r.utm().campaign());
            putIfPresent(lead.utm, "term", r.utm().term());
            putIfPresent(lead.utm, "content", r.utm().content());
        }
        if (r.fields() != null) {
            lead.fields = new LinkedHashMap<>(lead.fields);
            lead.fields.putAll(r.fields());
        }
        lead.disposableEmail = spam.isDisposable(lead.email);
        if (lead.disposableEmail) {
            lead.fields = new LinkedHashMap<>(lead.fields);
            lead.fields.put("disposableEmail", true);
        }
        if (r.consents() != null) {
            var consents = new ArrayList<>(lead.consents);
            for (SubmissionRequest.ConsentGrant grant : r.consents()) {
                consents.removeIf(c -> Objects.equals(c.purpose(), grant.purpose()));
                String version = grant.textVersion() != null ? grant.textVersion() : form.consentVersion;
                consents.add(new Lead.Consent(grant.purpose(), grant.granted(), version, now, "form:" + form.formKey));
            }
            lead.consents = consents;
        }
        lead.updatedAt = now;
    }

    /** A form that names its consent purposes collects only those. */
    private static List<Problem.FieldError> consentErrors(Form form, SubmissionRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.consents() == null || form.consentPurposes.isEmpty()) {
            return errors;
        }
        for (int i = 0; i < r.consents().size(); i++) {
            String purpose = r.consents().get(i).purpose();
            if (!form.consentPurposes.contains(purpose)) {
                errors.add(new Problem.FieldError("consents[" + i + "].purpose",
                        "this form collects only " + String.join(", ", form.consentPurposes)));
            }
        }
        return errors;
    }

    private SubmissionRequest withoutAntiSpamFields(SubmissionRequest r) {
        if (r.fields() == null || !(r.fields().containsKey(RENDER_TOKEN_FIELD) || r.fields().containsKey(spam.honeypotField()))) {
            return r;
        }
        Map<String, Object> fields = new LinkedHashMap<>(r.fields());
        fields.remove(RENDER_TOKEN_FIELD);
        fields.remove(spam.honeypotField());
        return new SubmissionRequest(r.email(), r.firstName(), r.lastName(), r.company(), r.jobTitle(), r.phone(),
                r.country(), r.utm(), r.consents(), fields.isEmpty() ? null : fields, r.visitorId(), r.timeZone());
    }

    private Uni<Void> record(SqlClient c, Form form, Lead lead, SubmissionRequest request, Instant now) {
        FormSubmission submission = new FormSubmission();
        submission.id = UUID.randomUUID();
        submission.formId = form.id;
        submission.leadId = lead.id;
        submission.visitorId = request.visitorId();
        submission.payload = payloadOf(request);
        submission.receivedAt = now;
        return submissions.insert(c, submission)
                .chain(() -> identity.afterSubmission(c, lead, "form:" + form.formKey, request.visitorId(), now));
    }

    /** What a form submission row keeps of the request: its free fields (structured payloads too) and UTM. */
    private static Map<String, Object> payloadOf(SubmissionRequest request) {
        Map<String, Object> payload = new LinkedHashMap<>();
        if (request.fields() != null) {
            payload.putAll(request.fields());
        }
        if (request.utm() != null) {
            payload.put("utm", request.utm());
        }
        return payload;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a.trim() : b;
    }

    /** Where the submission came from: Origin header, client IP (X-Forwarded-For via the gateway), render token header. */
    public record SubmissionContext(String origin, String clientIp, String renderToken) {
    }

    /** leadId is null for spam (answered like success, not stored); redirect is the form's success redirect. */
    public record Outcome(UUID leadId, boolean created, String spamReason, String successRedirect) {
    }
}
