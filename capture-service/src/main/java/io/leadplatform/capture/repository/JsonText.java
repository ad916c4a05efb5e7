package io.leadplatform.capture.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.domain.LeadMerge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Typed values kept as JSON text (the text columns consents, fields, consent_purposes, allowed_origins, merge
 * snapshots and moved ids) and the jsonb columns utm, fields and payload, read and written with one mapper
 * configured as the former Hibernate converters were (ISO instants, unknown properties ignored), so stored text
 * stays as it was.
 */
public final class JsonText {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static final TypeReference<List<Lead.Consent>> CONSENTS = new TypeReference<>() {
    };
    static final TypeReference<List<Form.FormField>> FORM_FIELDS = new TypeReference<>() {
    };
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    static final TypeReference<List<UUID>> IDS = new TypeReference<>() {
    };
    static final TypeReference<LeadMerge.LeadSnapshot> SNAPSHOT = new TypeReference<>() {
    };
    static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    static final TypeReference<LinkedHashMap<String, String>> TEXT_MAP = new TypeReference<>() {
    };

    private JsonText() {
    }

    /** The value as JSON text; null stays null. */
    public static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A lead's consents as stored in lead.consents. */
    public static String consents(List<Lead.Consent> consents) {
        return write(consents);
    }

    static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not match " + type.getType() + ": " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> object(String json) {
        return json == null ? new LinkedHashMap<>() : read(json, OBJECT);
    }
}
