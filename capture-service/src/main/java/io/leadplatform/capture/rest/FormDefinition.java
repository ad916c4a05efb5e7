package io.leadplatform.capture.rest;

import io.leadplatform.capture.domain.Form;

import java.time.Instant;
import java.util.List;

/** A form as marketing defines and reads it. Validated by FormDefinitions on save (422 per field). */
public record FormDefinition(String key, String name, String channel, String campaign, List<Form.FormField> fields,
                             Consent consent, boolean doubleOptIn, List<String> allowedOrigins, String successRedirect,
                             String confirmRedirect, Offer offer, boolean requireRenderToken, RateLimits rateLimits,
                             Instant createdAt, Instant updatedAt) {

    /** The consent text shown, its exact version, and the purposes a tick grants (e.g. newsletter, marketing_email). */
    public record Consent(String text, String version, List<String> purposes) {
    }

    /** The offer the form gates: ebook|webinar|price_quote|configurator|none, and the asset it delivers. */
    public record Offer(String type, String assetRef) {
    }

    /** Submissions per minute per client IP and per form; null = the service default, 0 = no limit. */
    public record RateLimits(Integer perIpPerMinute, Integer perFormPerMinute) {
    }

    public static FormDefinition of(Form f) {
        return new FormDefinition(f.formKey, f.name, f.channel, f.campaign, f.fields,
                new Consent(f.consentText, f.consentVersion, f.consentPurposes), f.doubleOptIn, f.allowedOrigins,
                f.successRedirect, f.confirmRedirect, new Offer(f.offer == null ? "none" : f.offer, f.offerAssetRef),
                f.requireRenderToken, new RateLimits(f.ipLimitPerMinute, f.formLimitPerMinute), f.createdAt, f.updatedAt);
    }

    /** What a public front end needs to render a form: its fields, consent, the honeypot's name and a render token. */
    public record Rendering(String key, String name, List<Form.FormField> fields, Consent consent, boolean doubleOptIn,
                            Offer offer, String honeypotField, String renderToken, String submitUrl) {
    }

    /** Submissions and spam of a form in a period. */
    public record Stats(String key, Instant from, Instant to, long submissions, long spam,
                        java.util.Map<String, Long> spamByReason) {
    }
}
