package io.leadplatform.capture.domain;

import java.util.List;
import java.util.Map;

/**
 * Which CSV column feeds which lead field ({@code columns}: lead field → header name), which columns go
 * to the lead's free fields ({@code extra}: name → header), which column grants which consent
 * ({@code consents}), and the delimiter (default {@code ,}).
 */
public record ImportMapping(Map<String, String> columns, Map<String, String> extra, List<ConsentColumn> consents,
                            String delimiter) {

    public record ConsentColumn(String purpose, String column, String textVersion) {
    }
}
