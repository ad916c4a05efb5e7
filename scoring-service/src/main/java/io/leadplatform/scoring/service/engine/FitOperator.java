package io.leadplatform.scoring.service.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Operators of fit rules; the helpers (company size, job title …) read a default field. */
public enum FitOperator {
    /** the field is given (not blank) */
    PRESENT(null),
    /** equals {@code value}, ignoring case */
    EQUALS(null),
    /** equals one of {@code values}, ignoring case */
    ONE_OF(null),
    /** contains {@code value}, ignoring case */
    CONTAINS(null),
    /** matches the regular expression {@code value} (find, case-insensitive) */
    REGEX(null),
    /** a number within [min, max] (either bound optional) */
    RANGE(null),
    /** helper: number of employees (field companySize) within [min, max] */
    COMPANY_SIZE("companySize"),
    /** helper: the job title contains one of {@code values} (e.g. CMO, head of, VP) */
    JOB_TITLE("jobTitle"),
    /** helper: the industry is one of {@code values} */
    INDUSTRY("industry"),
    /** helper: the country (ISO code) is one of {@code values} */
    COUNTRY("country"),
    /** helper: the e-mail domain is a free-mail domain ({@code values} or the built-in list) */
    FREE_MAIL_DOMAIN("email"),
    /** helper: the e-mail has a domain that is not a free-mail domain */
    BUSINESS_EMAIL("email");

    private final String defaultField;

    FitOperator(String defaultField) {
        this.defaultField = defaultField;
    }

    public Optional<String> defaultField() {
        return Optional.ofNullable(defaultField);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FitOperator> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(o -> o.wireName().equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }
}
