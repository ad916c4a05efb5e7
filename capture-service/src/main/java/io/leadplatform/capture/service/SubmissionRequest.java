package io.leadplatform.capture.service;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** A visitor's form submission (JSON body). */
public record SubmissionRequest(
        @NotBlank @Email @Size(max = 320) String email,
        @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String firstName,
        @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String lastName,
        @Size(max = 300) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String company,
        @Size(max = 300) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String jobTitle,
        @Size(max = 50) @Pattern(regexp = "[+0-9 ()./-]*", message = "must be a phone number") String phone,
        @Pattern(regexp = "[A-Za-z]{2}", message = "must be an ISO 3166 alpha-2 country code") String country,
        @Valid Utm utm,
        @Size(max = 20) List<@Valid ConsentGrant> consents,
        @Size(max = 50) Map<String, Object> fields,
        @Size(max = 100) String visitorId,
        @Schema(description = "IANA time zone of the browser (Intl.DateTimeFormat().resolvedOptions().timeZone), e.g. "
                + "Europe/Berlin; anything else is 422. The tracking snippet adds it to forms as the hidden field timeZone.")
        @Size(max = 64) String timeZone) {

    public record Utm(@Size(max = 200) String source, @Size(max = 200) String medium, @Size(max = 200) String campaign,
                      @Size(max = 200) String term, @Size(max = 200) String content) {
    }

    public record ConsentGrant(@NotBlank @Size(max = 100) String purpose, boolean granted, @Size(max = 100) String textVersion) {
    }
}
