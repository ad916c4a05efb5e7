package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.domain.FormSubmission;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.messaging.LeadEvents;
import io.leadplatform.capture.repository.FormRepository;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.capture.rest.SubmissionRequest;
import io.leadplatform.common.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Use case: a visitor submits a form. A known e-mail updates its lead (progressive profiling), never a duplicate. */
@ApplicationScoped
public class CaptureService {

    private final FormRepository forms;
    private final LeadRepository leads;
    private final LeadEvents events;
    private final IdentityService identity;

    public CaptureService(FormRepository forms, LeadRepository leads, LeadEvents events, IdentityService identity) {
        this.forms = forms;
        this.leads = leads;
        this.events = events;
        this.identity = identity;
    }

    /** Stores the submission, creates or updates the lead and writes its event: one transaction. */
    @WithTransaction
    public Uni<Outcome> submit(String formKey, SubmissionRequest request) {
        return forms.findByKey(formKey)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no form '" + formKey + "'"))
                .chain(form -> leads.findByEmail(request.email()).chain(identity::survivorOf)
                        .chain(existing -> existing == null ? create(form, request) : update(existing, form, request)));
    }

    private Uni<Outcome> create(Form form, SubmissionRequest request) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Lead lead = new Lead();
        lead.id = UUID.randomUUID();
        lead.email = request.email().trim().toLowerCase(Locale.ROOT);
        lead.source = "form";
        lead.sourceRef = form.formKey;
        lead.channel = form.channel;
        lead.campaign = form.campaign;
        lead.createdAt = now;
        applyProfile(lead, form, request, now);
        return leads.persist(lead)
                .chain(() -> record(form, lead, request, now))
                .chain(() -> events.captured(lead))
                .replaceWith(new Outcome(lead.id, true));
    }

    private Uni<Outcome> update(Lead lead, Form form, SubmissionRequest request) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        applyProfile(lead, form, request, now);
        return record(form, lead, request, now)
                .chain(() -> events.updated(lead))
                .replaceWith(new Outcome(lead.id, false));
    }

    /** Progressive profiling: what the visitor filled in now overwrites, what they left empty is kept. */
    private static void applyProfile(Lead lead, Form form, SubmissionRequest r, Instant now) {
        lead.firstName = firstNonBlank(r.firstName(), lead.firstName);
        lead.lastName = firstNonBlank(r.lastName(), lead.lastName);
        lead.company = firstNonBlank(r.company(), lead.company);
        lead.jobTitle = firstNonBlank(r.jobTitle(), lead.jobTitle);
        lead.phone = firstNonBlank(r.phone(), lead.phone);
        lead.country = r.country() != null ? r.country().toUpperCase(Locale.ROOT) : lead.country;
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
        if (r.consents() != null) {
            var consents = new java.util.ArrayList<>(lead.consents);
            for (SubmissionRequest.ConsentGrant grant : r.consents()) {
                consents.removeIf(c -> Objects.equals(c.purpose(), grant.purpose()));
                consents.add(new Lead.Consent(grant.purpose(), grant.granted(), grant.textVersion(), now, "form:" + form.formKey));
            }
            lead.consents = consents;
        }
        lead.updatedAt = now;
    }

    private Uni<Void> record(Form form, Lead lead, SubmissionRequest request, Instant now) {
        FormSubmission submission = new FormSubmission();
        submission.id = UUID.randomUUID();
        submission.formId = form.id;
        submission.leadId = lead.id;
        submission.visitorId = request.visitorId();
        Map<String, Object> payload = new LinkedHashMap<>();
        if (request.fields() != null) {
            payload.putAll(request.fields());
        }
        if (request.utm() != null) {
            payload.put("utm", request.utm());
        }
        submission.payload = payload;
        submission.receivedAt = now;
        return submission.persist()
                .chain(() -> identity.afterSubmission(lead, "form:" + form.formKey, request.visitorId(), now));
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a.trim() : b;
    }

    public record Outcome(UUID leadId, boolean created) {
    }
}
