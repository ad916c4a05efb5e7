package io.leadplatform.capture.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * An admin's registration (POST, with {@code id}) or update (PUT, {@code id} ignored) of a partner.
 * {@code mapping.fields}: lead field (email, firstName, lastName, company, jobTitle, phone, country, campaign)
 * → JSON pointer inside one lead; {@code mapping.items}: optional pointer to the array of a batch.
 */
public record PartnerRequest(
        @Size(min = 2, max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "must be lower-case letters, digits and dashes") String id,
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 100) String channel,
        @Size(max = 200) String campaign,
        Boolean active,
        @NotNull @Valid Mapping mapping) {

    public record Mapping(
            @Size(max = 500) String items,
            @NotNull @Size(min = 1, max = 20) Map<String, @NotBlank @Size(max = 500) String> fields,
            @Size(max = 50) Map<String, @NotBlank @Size(max = 500) String> extra,
            @Size(max = 20) List<@Valid Consent> consents) {
    }

    public record Consent(@NotBlank @Size(max = 100) String purpose, @NotBlank @Size(max = 500) String pointer,
                          @Size(max = 100) String textVersion) {
    }
}
