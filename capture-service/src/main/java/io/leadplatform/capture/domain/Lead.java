package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import com.fasterxml.jackson.core.type.TypeReference;
import io.leadplatform.common.persistence.JsonTextConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A lead as capture-service holds it: identity, profile, where it came from, consents. */
@Entity
@Table(name = "lead")
public class Lead extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String email;

    @Column(name = "first_name")
    public String firstName;

    @Column(name = "last_name")
    public String lastName;

    public String company;

    @Column(name = "job_title")
    public String jobTitle;

    public String phone;

    public String country;

    /** IANA time zone id sent by the browser (validated); null when unknown. */
    @Column(name = "time_zone")
    public String timeZone;

    @Column(nullable = false)
    public String source;

    @Column(name = "source_ref")
    public String sourceRef;

    @Column(nullable = false)
    public String channel;

    public String campaign;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> utm = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> fields = new LinkedHashMap<>();

    @Convert(converter = ConsentsConverter.class)
    @Column(nullable = false)
    public List<Consent> consents = new ArrayList<>();

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** active, unconfirmed (double opt-in pending: consents not yet in force) or confirmed. */
    @Column(nullable = false)
    public String status = STATUS_ACTIVE;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    /** The e-mail's domain is a known disposable (throw-away) mail domain. */
    @Column(name = "disposable_email", nullable = false)
    public boolean disposableEmail;

    public static final String STATUS_ACTIVE = "active";
    public static final String STATUS_UNCONFIRMED = "unconfirmed";
    public static final String STATUS_CONFIRMED = "confirmed";

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Set when an authenticated merge folded this lead into another one (undoable, see lead_merge). */
    @Column(name = "merged_into")
    public UUID mergedInto;

    /** Set when the lead was erased (GDPR): personal data removed, aggregates kept. */
    @Column(name = "erased_at")
    public Instant erasedAt;

    /** A consent as recorded: purpose, granted or not, the exact text version, when and through what. */
    public record Consent(String purpose, boolean granted, String textVersion, Instant recordedAt, String source) {
    }

    public static class ConsentsConverter extends JsonTextConverter<List<Consent>> {
        public ConsentsConverter() {
            super(new TypeReference<>() {
            });
        }
    }
}
