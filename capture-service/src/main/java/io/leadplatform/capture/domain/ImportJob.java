package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A CSV contact-list import and its progress; counters are updated in each batch's transaction. */
@Entity
@Table(name = "import_job")
public class ImportJob extends PanacheEntityBase {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    @Id
    public UUID id;

    @Column(name = "list_name", nullable = false)
    public String listName;

    @Column(nullable = false)
    public String channel;

    public String campaign;

    @Column(name = "file_name")
    public String fileName;

    @Column(nullable = false)
    public String mapping;

    @Column(nullable = false)
    public String state;

    @Column(name = "rows_total", nullable = false)
    public long rowsTotal;

    @Column(name = "rows_read", nullable = false)
    public long rowsRead;

    @Column(nullable = false)
    public long accepted;

    @Column(nullable = false)
    public long duplicates;

    @Column(nullable = false)
    public long errors;

    public String detail;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The instance (ImportRunner) that runs or will run the job; another one may claim it when the heartbeat is stale. */
    public String owner;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
}
