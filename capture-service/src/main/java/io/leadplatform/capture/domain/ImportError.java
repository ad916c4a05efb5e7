package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** Why one row of an import was not taken (invalid field or duplicate). */
@Entity
@Table(name = "import_error")
public class ImportError extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    @Column(name = "row_no", nullable = false)
    public long rowNo;

    public String field;

    @Column(nullable = false)
    public String message;
}
