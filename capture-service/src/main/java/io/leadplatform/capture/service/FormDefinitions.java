package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.rest.FormDefinition;
import io.leadplatform.common.rest.Problem;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Validates a form definition on save: every problem named by its field path. Pure logic. */
public final class FormDefinitions {

    public static final Set<String> FIELD_TYPES = Set.of("text", "email", "phone", "number", "select", "checkbox",
            "textarea", "hidden");
    public static final Set<String> OFFERS = Set.of("ebook", "webinar", "price_quote", "configurator", "none");

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9_]{0,49}");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern NO_CONTROL = Pattern.compile("[^\\p{Cntrl}]*");

    private FormDefinitions() {
    }

    public static List<Problem.FieldError> validate(FormDefinition d, String honeypotField) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (d.key() == null || !KEY.matcher(d.key()).matches()) {
            errors.add(err("key", "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit"));
        }
        text(errors, "name", d.name(), true, 200);
        if (d.channel() == null || !CHANNEL.matcher(d.channel()).matches()) {
            errors.add(err("channel", "must be 1-100 letters, digits, '_', '.' or '-'"));
        }
        text(errors, "campaign", d.campaign(), false, 200);
        fields(errors, d.fields(), honeypotField);
        consent(errors, d.consent());
        if (d.allowedOrigins() != null) {
            if (d.allowedOrigins().size() > 20) {
                errors.add(err("allowedOrigins", "at most 20 origins"));
            }
            for (int i = 0; i < d.allowedOrigins().size(); i++) {
                if (normalizeOrigin(d.allowedOrigins().get(i)) == null) {
                    errors.add(err("allowedOrigins[" + i + "]",
                            "must be an origin like https://www.example.com (scheme, host, optional port; no path, no wildcard)"));
                }
            }
        }
        url(errors, "successRedirect", d.successRedirect());
        url(errors, "confirmRedirect", d.confirmRedirect());
        if (d.offer() != null) {
            if (d.offer().type() == null || !OFFERS.contains(d.offer().type())) {
                errors.add(err("offer.type", "must be one of " + String.join(", ", OFFERS.stream().sorted().toList())));
            }
            text(errors, "offer.assetRef", d.offer().assetRef(), false, 500);
        }
        if (d.rateLimits() != null) {
            limit(errors, "rateLimits.perIpPerMinute", d.rateLimits().perIpPerMinute());
            limit(errors, "rateLimits.perFormPerMinute", d.rateLimits().perFormPerMinute());
        }
        return errors;
    }

    /** Copies a valid definition onto the entity (all but key and timestamps). */
    public static void apply(FormDefinition d, Form form) {
        form.name = d.name().trim();
        form.channel = d.channel();
        form.campaign = blankToNull(d.campaign());
        form.fields = d.fields() == null ? new ArrayList<>() : d.fields().stream()
                .map(f -> new Form.FormField(f.name(), f.type(), f.required(), f.maxLength(), blankToNull(f.pattern()),
                        "select".equals(f.type()) ? List.copyOf(f.options()) : null, blankToNull(f.label())))
                .toList();
        form.consentText = d.consent() == null ? null : blankToNull(d.consent().text());
        form.consentVersion = d.consent() == null ? null : blankToNull(d.consent().version());
        form.consentPurposes = d.consent() == null || d.consent().purposes() == null ? new ArrayList<>()
                : List.copyOf(d.consent().purposes());
        form.doubleOptIn = d.doubleOptIn();
        form.allowedOrigins = d.allowedOrigins() == null ? new ArrayList<>()
                : d.allowedOrigins().stream().map(FormDefinitions::normalizeOrigin).distinct().toList();
        form.successRedirect = blankToNull(d.successRedirect());
        form.confirmRedirect = blankToNull(d.confirmRedirect());
        form.offer = d.offer() == null ? "none" : d.offer().type();
        form.offerAssetRef = d.offer() == null ? null : blankToNull(d.offer().assetRef());
        form.requireRenderToken = d.requireRenderToken();
        form.ipLimitPerMinute = d.rateLimits() == null ? null : d.rateLimits().perIpPerMinute();
        form.formLimitPerMinute = d.rateLimits() == null ? null : d.rateLimits().perFormPerMinute();
    }

    /** scheme://host[:port] in lower case, or null when the value is not such an origin. */
    public static String normalizeOrigin(String value) {
        if (value == null || value.length() > 300 || value.contains("*")) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return null;
            }
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static void fields(List<Problem.FieldError> errors, List<Form.FormField> fields, String honeypotField) {
        if (fields == null) {
            return;
        }
        if (fields.size() > 50) {
            errors.add(err("fields", "at most 50 fields"));
            return;
        }
        Set<String> names = new HashSet<>();
        boolean hasEmail = fields.isEmpty();
        for (int i = 0; i < fields.size(); i++) {
            Form.FormField f = fields.get(i);
            String at = "fields[" + i + "]";
            if (f == null) {
                errors.add(err(at, "must not be null"));
                continue;
            }
            if (f.name() == null || !FIELD_NAME.matcher(f.name()).matches()) {
                errors.add(err(at + ".name", "must be 1-64 letters, digits or '_', not starting with a digit"));
            } else if (!names.add(f.name())) {
                errors.add(err(at + ".name", "'" + f.name() + "' is defined twice"));
            } else if (f.name().equals(honeypotField) || f.name().equals("renderToken")) {
                errors.add(err(at + ".name", "'" + f.name() + "' is reserved for anti-spam"));
            }
            if (f.type() == null || !FIELD_TYPES.contains(f.type())) {
                errors.add(err(at + ".type", "must be one of " + String.join(", ", FIELD_TYPES.stream().sorted().toList())));
            }
            if ("email".equals(f.name())) {
                hasEmail = true;
                if (!"email".equals(f.type())) {
                    errors.add(err(at + ".type", "the field 'email' must have type email"));
                }
            }
            if (f.maxLength() != null && (f.maxLength() < 1 || f.maxLength() > 10_000)) {
                errors.add(err(at + ".maxLength", "must be between 1 and 10000"));
            }
            if (f.pattern() != null && !f.pattern().isBlank()) {
                if (f.pattern().length() > 500) {
                    errors.add(err(at + ".pattern", "at most 500 characters"));
                } else {
                    try {
                        Pattern.compile(f.pattern());
                    } catch (PatternSyntaxException e) {
                        errors.add(err(at + ".pattern", "is not a valid regular expression: " + e.getDescription()));
                    }
                }
            }
            if ("select".equals(f.type())) {
                if (f.options() == null || f.options().isEmpty() || f.options().size() > 100
                        || f.options().stream().anyMatch(o -> o == null || o.isBlank() || o.length() > 200)) {
                    errors.add(err(at + ".options", "a select needs 1-100 non-blank options of at most 200 characters"));
                }
            } else if (f.options() != null && !f.options().isEmpty()) {
                errors.add(err(at + ".options", "only a select has options"));
            }
            text(errors, at + ".label", f.label(), false, 300);
        }
        if (!hasEmail) {
            errors.add(err("fields", "must contain a field named 'email' (every lead needs one)"));
        }
    }

    private static void consent(List<Problem.FieldError> errors, FormDefinition.Consent c) {
        if (c == null) {
            return;
        }
        text(errors, "consent.text", c.text(), false, 5000);
        text(errors, "consent.version", c.version(), false, 100);
        if (c.purposes() != null && !c.purposes().isEmpty()) {
            if (c.purposes().size() > 10) {
                errors.add(err("consent.purposes", "at most 10 purposes"));
            }
            for (int i = 0; i < c.purposes().size(); i++) {
                String p = c.purposes().get(i);
                if (p == null || !PURPOSE.matcher(p).matches()) {
                    errors.add(err("consent.purposes[" + i + "]", "must be a lower-case identifier like newsletter or marketing_email"));
                }
            }
            if (c.text() == null || c.text().isBlank()) {
                errors.add(err("consent.text", "is required when the form collects consent purposes"));
            }
            if (c.version() == null || c.version().isBlank()) {
                errors.add(err("consent.version", "is required when the form collects consent purposes"));
            }
        }
    }

    private static void text(List<Problem.FieldError> errors, String field, String value, boolean required, int max) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(err(field, "is required"));
            }
            return;
        }
        if (value.length() > max) {
            errors.add(err(field, "at most " + max + " characters"));
        } else if (!field.equals("consent.text") && !NO_CONTROL.matcher(value).matches()) {
            errors.add(err(field, "must not contain control characters"));
        }
    }

    private static void url(List<Problem.FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            URI uri = new URI(value);
            if (value.length() > 2000 || uri.getHost() == null
                    || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                errors.add(err(field, "must be an absolute http(s) URL"));
            }
        } catch (java.net.URISyntaxException e) {
            errors.add(err(field, "must be an absolute http(s) URL"));
        }
    }

    private static void limit(List<Problem.FieldError> errors, String field, Integer value) {
        if (value != null && (value < 0 || value > 1_000_000)) {
            errors.add(err(field, "must be between 0 (no limit) and 1000000"));
        }
    }

    private static Problem.FieldError err(String field, String message) {
        return new Problem.FieldError(field, message);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
