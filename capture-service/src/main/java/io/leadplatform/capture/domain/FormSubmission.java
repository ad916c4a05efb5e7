package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One accepted submission of a form, kept as received. */
@Entity
@Table(name = "form_submission")
public class FormSubmission extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "form_id", nullable = false)
    public UUID formId;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(name = "visitor_id")
    public String visitorId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> payload;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
