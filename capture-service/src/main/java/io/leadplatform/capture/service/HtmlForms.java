package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.domain.TimeZones;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a plain HTML form post (application/x-www-form-urlencoded) to a submission: lead fields by
 * name (camelCase or snake_case), utm_source … utm_content, consent checkboxes ({@code consent} grants
 * every purpose of the form's consent text, {@code consent_<purpose>} one purpose), visitor id, time zone; every
 * other name goes to {@code fields} (one value as text, several as a list). Pure logic.
 */
public final class HtmlForms {

    private HtmlForms() {
    }

    public static SubmissionRequest toRequest(Form form, Map<String, List<String>> params) {
        Map<String, Object> fields = new LinkedHashMap<>();
        List<SubmissionRequest.ConsentGrant> consents = new ArrayList<>();
        String[] utm = new String[5];
        String email = null, firstName = null, lastName = null, company = null, jobTitle = null, phone = null,
                country = null, visitorId = null, timeZone = null;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            List<String> values = e.getValue();
            String value = values == null || values.isEmpty() ? null : values.get(0);
            switch (name) {
                case "email" -> email = value;
                case "firstName", "first_name" -> firstName = value;
                case "lastName", "last_name" -> lastName = value;
                case "company" -> company = value;
                case "jobTitle", "job_title" -> jobTitle = value;
                case "phone" -> phone = value;
                case "country" -> country = blankToNull(value);
                case "visitorId", "visitor_id" -> visitorId = blankToNull(value);
                // filled in by the tracking snippet: a zone this JVM does not know is dropped, never fails the person's post
                case "timeZone", "time_zone" -> timeZone = TimeZones.isIana(value) ? value : null;
                case "utm_source" -> utm[0] = value;
                case "utm_medium" -> utm[1] = value;
                case "utm_campaign" -> utm[2] = value;
                case "utm_term" -> utm[3] = value;
                case "utm_content" -> utm[4] = value;
                case "consent" -> {
                    if (SubmissionRules.checked(value)) {
                        form.consentPurposes.forEach(p -> consents.add(new SubmissionRequest.ConsentGrant(p, true, null)));
                    }
                }
                default -> {
                    if (name.startsWith("consent_") && name.length() > "consent_".length()) {
                        consents.add(new SubmissionRequest.ConsentGrant(name.substring("consent_".length()),
                                SubmissionRules.checked(value), null));
                    } else if (values != null && !values.isEmpty()) {
                        fields.put(name, values.size() == 1 ? value : List.copyOf(values));
                    }
                }
            }
        }
        boolean anyUtm = false;
        for (String u : utm) {
            anyUtm |= u != null && !u.isBlank();
        }
        return new SubmissionRequest(email, firstName, lastName, company, jobTitle, phone, country,
                anyUtm ? new SubmissionRequest.Utm(utm[0], utm[1], utm[2], utm[3], utm[4]) : null,
                consents.isEmpty() ? null : consents, fields.isEmpty() ? null : fields, visitorId, timeZone);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
