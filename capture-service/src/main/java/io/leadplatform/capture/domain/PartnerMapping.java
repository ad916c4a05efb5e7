package io.leadplatform.capture.domain;

import java.util.List;
import java.util.Map;

/**
 * How a partner's JSON becomes leads. {@code items}: optional JSON pointer to an array of leads (a
 * batch); without it (or when it points to nothing) the whole body is one lead, or each element if the
 * body is an array. {@code fields}: lead field → JSON pointer inside one lead. {@code extra}: name →
 * pointer, kept in the lead's free fields. {@code consents}: purpose → pointer to a yes/no value.
 */
public record PartnerMapping(String items, Map<String, String> fields, Map<String, String> extra,
                             List<ConsentSource> consents) {

    public record ConsentSource(String purpose, String pointer, String textVersion) {
    }
}
