package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import com.fasterxml.jackson.core.type.TypeReference;
import io.leadplatform.common.persistence.JsonTextConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A form marketing defined (web form, landing page, lead magnet, configurator). */
@Entity
@Table(name = "form")
public class Form extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "form_key", nullable = false, unique = true)
    public String formKey;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String channel;

    public String campaign;

    public String offer;

    @Column(name = "double_opt_in", nullable = false)
    public boolean doubleOptIn;

    @Column(name = "success_redirect")
    public String successRedirect;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The fields the form shows, in order; submissions are validated against them. */
    @Convert(converter = FieldsConverter.class)
    @Column(nullable = false)
    public List<FormField> fields = new ArrayList<>();

    @Column(name = "consent_text")
    public String consentText;

    @Column(name = "consent_version")
    public String consentVersion;

    /** The purposes the consent text collects, e.g. newsletter, marketing_email. */
    @Convert(converter = StringsConverter.class)
    @Column(name = "consent_purposes", nullable = false)
    public List<String> consentPurposes = new ArrayList<>();

    /** Origins (scheme://host[:port]) whose pages may post this form cross-origin; no wildcard. */
    @Convert(converter = StringsConverter.class)
    @Column(name = "allowed_origins", nullable = false)
    public List<String> allowedOrigins = new ArrayList<>();

    @Column(name = "offer_asset_ref")
    public String offerAssetRef;

    @Column(name = "confirm_redirect")
    public String confirmRedirect;

    /** Anti-spam: a submission without a render token counts as spam. */
    @Column(name = "require_render_token", nullable = false)
    public boolean requireRenderToken;

    /** Per-IP and per-form submissions per minute; null = the configured default. */
    @Column(name = "ip_limit_per_minute")
    public Integer ipLimitPerMinute;

    @Column(name = "form_limit_per_minute")
    public Integer formLimitPerMinute;

    /** One field of a form. type: text|email|phone|number|select|checkbox|textarea|hidden. */
    public record FormField(String name, String type, boolean required, Integer maxLength, String pattern,
                            List<String> options, String label) {
    }

    public static class FieldsConverter extends JsonTextConverter<List<FormField>> {
        public FieldsConverter() {
            super(new TypeReference<>() {
            });
        }
    }

    public static class StringsConverter extends JsonTextConverter<List<String>> {
        public StringsConverter() {
            super(new TypeReference<>() {
            });
        }
    }
}
