package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Lead;
import io.leadplatform.common.rest.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns mapped raw values (from a partner's JSON or a CSV row) into a new lead, with the same field rules
 * as a form submission ({@link SubmissionRequest}). Pure: no database access.
 */
@ApplicationScoped
public class LeadIntake {

    /** The lead fields a mapping may name. */
    public static final Set<String> FIELDS = Set.of("email", "firstName", "lastName", "company", "jobTitle", "phone",
            "country", "campaign");

    private final Validator validator;

    public LeadIntake(Validator validator) {
        this.validator = validator;
    }

    /** Raw values of one incoming lead: lead field → text, extra fields, consents as given. */
    public record Raw(Map<String, String> values, Map<String, Object> extra, List<SubmissionRequest.ConsentGrant> consents,
                      List<Problem.FieldError> mappingErrors) {
    }

    /** A valid candidate (email normalised) or the per-field errors. */
    public record Checked(Lead lead, List<Problem.FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Validates and builds the lead (not persisted). The source says where it came from. */
    public Checked check(Raw raw, String source, String sourceRef, String channel, String defaultCampaign, Instant now) {
        Map<String, String> v = raw.values();
        SubmissionRequest request = new SubmissionRequest(
                trim(v.get("email")), trim(v.get("firstName")), trim(v.get("lastName")), trim(v.get("company")),
                trim(v.get("jobTitle")), trim(v.get("phone")), trim(v.get("country")), null,
                raw.consents().isEmpty() ? null : raw.consents(), raw.extra().isEmpty() ? null : raw.extra(), null, null);
        List<Problem.FieldError> errors = new ArrayList<>(raw.mappingErrors());
        if (request.email() == null || request.email().isEmpty()) {
            errors.add(new Problem.FieldError("email", "is required"));
        }
        for (ConstraintViolation<SubmissionRequest> violation : validator.validate(request)) {
            String field = violation.getPropertyPath().toString();
            if (!(field.equals("email") && (request.email() == null || request.email().isEmpty()))) {
                errors.add(new Problem.FieldError(field, violation.getMessage()));
            }
        }
        String campaign = trim(v.get("campaign"));
        if (campaign != null && campaign.length() > 200) {
            errors.add(new Problem.FieldError("campaign", "size must be between 0 and 200"));
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(Problem.FieldError::field));
            return new Checked(null, errors);
        }
        Lead lead = new Lead();
        lead.id = UUID.randomUUID();
        lead.email = request.email().toLowerCase(Locale.ROOT);
        lead.firstName = request.firstName();
        lead.lastName = request.lastName();
        lead.company = request.company();
        lead.jobTitle = request.jobTitle();
        lead.phone = request.phone();
        lead.country = request.country() != null ? request.country().toUpperCase(Locale.ROOT) : null;
        lead.source = source;
        lead.sourceRef = sourceRef;
        lead.channel = channel;
        lead.campaign = campaign != null ? campaign : defaultCampaign;
        lead.fields = new LinkedHashMap<>(raw.extra());
        List<Lead.Consent> consents = new ArrayList<>();
        for (SubmissionRequest.ConsentGrant grant : raw.consents()) {
            consents.add(new Lead.Consent(grant.purpose(), grant.granted(), grant.textVersion(), now, source + ":" + sourceRef));
        }
        lead.consents = consents;
        lead.createdAt = now;
        lead.updatedAt = now;
        return new Checked(lead, List.of());
    }

    /**
     * A yes/no cell or JSON value: true, yes, y, 1, x, on, granted → granted; false, no, n, 0, off → refused;
     * empty → nothing said (null). Anything else is not understood (an error).
     */
    public static Boolean consentValue(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1", "x", "on", "granted", "ja", "oui" -> Boolean.TRUE;
            case "false", "no", "n", "0", "off", "refused", "nein", "non" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("must be yes/no (true, yes, 1, x or false, no, 0)");
        };
    }

    private static String trim(String value) {
        if (value == null) {
            return null;
        }
        String t = value.strip();
        return t.isEmpty() ? null : t;
    }
}
