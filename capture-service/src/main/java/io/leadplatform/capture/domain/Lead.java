package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A lead as capture-service holds it: identity, profile, where it came from, consents. */
public class Lead {
    public UUID id;
    public String email;
    public String firstName;
    public String lastName;

    public String company;
    public String jobTitle;

    public String phone;

    public String country;

    /** IANA time zone id sent by the browser (validated); null when unknown. */
    public String timeZone;
    public String source;
    public String sourceRef;
    public String channel;

    public String campaign;
    public Map<String, String> utm = new LinkedHashMap<>();
    public Map<String, Object> fields = new LinkedHashMap<>();
    public List<Consent> consents = new ArrayList<>();
    public Instant createdAt;

    /** active, unconfirmed (double opt-in pending: consents not yet in force) or confirmed. */
    public String status = STATUS_ACTIVE;
    public Instant confirmedAt;

    /** The e-mail's domain is a known disposable (throw-away) mail domain. */
    public boolean disposableEmail;

    public static final String STATUS_ACTIVE = "active";
    public static final String STATUS_UNCONFIRMED = "unconfirmed";
    public static final String STATUS_CONFIRMED = "confirmed";
    public Instant updatedAt;

    /** Set when an authenticated merge folded this lead into another one (undoable, see lead_merge). */
    public UUID mergedInto;

    /** Set when the lead was erased (GDPR): personal data removed, aggregates kept. */
    public Instant erasedAt;

    /** A consent as recorded: purpose, granted or not, the exact text version, when and through what. */
    public record Consent(String purpose, boolean granted, String textVersion, Instant recordedAt, String source) {
    }
}
