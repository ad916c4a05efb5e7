package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.domain.TimeZones;
import io.leadplatform.common.rest.Problem;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a submission against its form's field definitions (required, type, maxLength, pattern,
 * options). Standard lead fields (email, firstName ...) are read from the request itself, every other
 * field from {@code fields}. Errors name the form's field. Pure logic.
 */
public final class SubmissionRules {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("[+0-9 ()./-]{3,50}");
    private static final Pattern SINGLE_LINE = Pattern.compile("[^\\p{Cntrl}]*");
    private static final Pattern MULTI_LINE = Pattern.compile("[^\\p{Cntrl}&&[^\\r\\n\\t]]*");
    private static final Set<String> TRUE = Set.of("true", "on", "yes", "1");
    private static final Set<String> FALSE = Set.of("false", "off", "no", "0", "");

    private SubmissionRules() {
    }

    public static List<Problem.FieldError> validate(Form form, SubmissionRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (Form.FormField f : form.fields) {
            Object value = valueOf(f.name(), r);
            boolean empty = value == null || (value instanceof String s && s.isBlank())
                    || ("checkbox".equals(f.type()) && !checked(value));
            if (empty) {
                if (f.required()) {
                    errors.add(new Problem.FieldError(f.name(), "checkbox".equals(f.type()) ? "must be checked" : "is required"));
                }
                continue;
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                if (!"hidden".equals(f.type())) {
                    errors.add(new Problem.FieldError(f.name(), "must be a single value"));
                }
                continue;
            }
            String s = String.valueOf(value);
            String problem = switch (f.type()) {
                case "email" -> EMAIL.matcher(s).matches() ? null : "must be an e-mail address";
                case "phone" -> PHONE.matcher(s).matches() ? null : "must be a phone number";
                case "number" -> isNumber(s) ? null : "must be a number";
                case "select" -> f.options() != null && f.options().contains(s) ? null : "must be one of " + f.options();
                case "checkbox" -> value instanceof Boolean || TRUE.contains(s.toLowerCase()) || FALSE.contains(s.toLowerCase())
                        ? null : "must be checked or not";
                case "textarea" -> MULTI_LINE.matcher(s).matches() ? null : "must not contain control characters";
                default -> SINGLE_LINE.matcher(s).matches() ? null : "must not contain control characters";
            };
            if (problem == null && f.maxLength() != null && s.length() > f.maxLength()) {
                problem = "at most " + f.maxLength() + " characters";
            }
            if (problem == null && f.pattern() != null && !Pattern.compile(f.pattern()).matcher(s).matches()) {
                problem = "does not have the expected format";
            }
            if (problem != null) {
                errors.add(new Problem.FieldError(f.name(), problem));
            }
        }
        if (r.timeZone() != null && !TimeZones.isIana(r.timeZone())) {
            errors.add(new Problem.FieldError("timeZone", "must be an IANA time zone id such as Europe/Berlin"));
        }
        return errors;
    }

    static boolean checked(Object value) {
        return value instanceof Boolean b ? b : value != null && TRUE.contains(String.valueOf(value).trim().toLowerCase());
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s.trim());
            return s.length() <= 50;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Object valueOf(String name, SubmissionRequest r) {
        return switch (name) {
            case "email" -> r.email();
            case "firstName" -> r.firstName();
            case "lastName" -> r.lastName();
            case "company" -> r.company();
            case "jobTitle" -> r.jobTitle();
            case "phone" -> r.phone();
            case "country" -> r.country();
            default -> r.fields() == null ? null : r.fields().get(name);
        };
    }
}
