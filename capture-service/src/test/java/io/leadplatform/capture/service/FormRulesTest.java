package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.rest.FormDefinition;
import io.leadplatform.common.rest.Problem;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pure logic of the forms channel: definition checks, submission rules, HTML form mapping. */
class FormRulesTest {

    private static Form form(List<Form.FormField> fields) {
        Form form = new Form();
        form.formKey = "f";
        form.fields = fields;
        form.consentPurposes = List.of("newsletter", "marketing_email");
        return form;
    }

    private static List<String> fieldsOf(List<Problem.FieldError> errors) {
        return errors.stream().map(Problem.FieldError::field).toList();
    }

    @Test
    void originsAreNormalisedAndWildcardsRefused() {
        assertEquals("https://www.example.com", FormDefinitions.normalizeOrigin("HTTPS://WWW.Example.com/"));
        assertEquals("http://localhost:3000", FormDefinitions.normalizeOrigin("http://localhost:3000"));
        assertNull(FormDefinitions.normalizeOrigin("*"));
        assertNull(FormDefinitions.normalizeOrigin("https://*.example.com"));
        assertNull(FormDefinitions.normalizeOrigin("https://example.com/landing"));
        assertNull(FormDefinitions.normalizeOrigin("ftp://example.com"));
        assertNull(FormDefinitions.normalizeOrigin("null"));
    }

    @Test
    void aValidDefinitionHasNoErrors() {
        FormDefinition d = new FormDefinition("ebook-2026", "E-book", "website", null,
                List.of(new Form.FormField("email", "email", true, 320, null, null, "E-mail"),
                        new Form.FormField("size", "select", false, null, null, List.of("1-10", "11-50"), null)),
                new FormDefinition.Consent("Send me the e-book and news.", "v3", List.of("newsletter")), true,
                List.of("https://www.example.com"), "https://www.example.com/thanks", null,
                new FormDefinition.Offer("ebook", "asset-42"), false, new FormDefinition.RateLimits(10, 0), null, null);
        assertEquals(List.of(), FormDefinitions.validate(d, "website_url"));
    }

    @Test
    void submissionRulesNameEachOffendingField() {
        Form form = form(List.of(
                new Form.FormField("email", "email", true, null, null, null, null),
                new Form.FormField("phone", "phone", true, null, null, null, null),
                new Form.FormField("seats", "number", false, null, null, null, null),
                new Form.FormField("terms", "checkbox", true, null, null, null, null),
                new Form.FormField("message", "textarea", false, 20, null, null, null),
                new Form.FormField("ref", "text", false, null, "[A-Z]{3}-[0-9]+", null, null)));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("seats", "twelve");
        fields.put("terms", "off");
        fields.put("message", "line one\nline two and far too long");
        fields.put("ref", "abc-1");
        SubmissionRequest bad = new SubmissionRequest("a@example.com", null, null, null, null, null, null, null, null, fields, null, null);
        assertEquals(List.of("phone", "seats", "terms", "message", "ref"), fieldsOf(SubmissionRules.validate(form, bad)));

        Map<String, Object> good = Map.of("seats", "12", "terms", "on", "message", "line one\nline two", "ref", "ABC-1");
        SubmissionRequest ok = new SubmissionRequest("a@example.com", null, null, null, null, "+49 30 1234", null, null, null, good, null, null);
        assertEquals(List.of(), SubmissionRules.validate(form, ok));
    }

    @Test
    void htmlPostsMapToLeadFieldsUtmConsentAndFields() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("email", List.of("a@example.com"));
        params.put("first_name", List.of("Ann"));
        params.put("jobTitle", List.of("CTO"));
        params.put("utm_source", List.of("linkedin"));
        params.put("utm_content", List.of("banner-b"));
        params.put("consent_newsletter", List.of("on"));
        params.put("topics", List.of("ev", "hybrid"));
        params.put("country", List.of(""));
        SubmissionRequest r = HtmlForms.toRequest(form(List.of()), params);
        assertEquals("Ann", r.firstName());
        assertEquals("CTO", r.jobTitle());
        assertNull(r.country());
        assertEquals("linkedin", r.utm().source());
        assertEquals("banner-b", r.utm().content());
        assertEquals("newsletter", r.consents().get(0).purpose());
        assertTrue(r.consents().get(0).granted());
        assertEquals(List.of("ev", "hybrid"), r.fields().get("topics"));

        SubmissionRequest all = HtmlForms.toRequest(form(List.of()), Map.of("email", List.of("a@example.com"), "consent", List.of("on")));
        assertEquals(List.of("newsletter", "marketing_email"), all.consents().stream().map(SubmissionRequest.ConsentGrant::purpose).toList());
        assertNull(all.utm());
    }
}
