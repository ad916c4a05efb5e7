package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A form marketing defined (web form, landing page, lead magnet, configurator). */
public class Form {
    public UUID id;
    public String formKey;
    public String name;
    public String channel;

    public String campaign;

    public String offer;
    public boolean doubleOptIn;
    public String successRedirect;
    public Instant createdAt;
    public Instant updatedAt;

    /** The fields the form shows, in order; submissions are validated against them. */
    public List<FormField> fields = new ArrayList<>();
    public String consentText;
    public String consentVersion;

    /** The purposes the consent text collects, e.g. newsletter, marketing_email. */
    public List<String> consentPurposes = new ArrayList<>();

    /** Origins (scheme://host[:port]) whose pages may post this form cross-origin; no wildcard. */
    public List<String> allowedOrigins = new ArrayList<>();
    public String offerAssetRef;
    public String confirmRedirect;

    /** Anti-spam: a submission without a render token counts as spam. */
    public boolean requireRenderToken;

    /** Per-IP and per-form submissions per minute; null = the configured default. */
    public Integer ipLimitPerMinute;
    public Integer formLimitPerMinute;

    /** One field of a form. type: text|email|phone|number|select|checkbox|textarea|hidden. */
    public record FormField(String name, String type, boolean required, Integer maxLength, String pattern,
                            List<String> options, String label) {
    }
}
