package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.UUID;

/** A CSV contact-list import and its progress; counters are updated in each batch's transaction. */
public class ImportJob {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public UUID id;
    public String listName;
    public String channel;

    public String campaign;
    public String fileName;
    public String mapping;
    public String state;
    public long rowsTotal;
    public long rowsRead;
    public long accepted;
    public long duplicates;
    public long errors;

    public String detail;
    public String createdBy;
    public Instant createdAt;
    public Instant startedAt;
    public Instant finishedAt;

    /** The instance (ImportRunner) that runs or will run the job; another one may claim it when the heartbeat is stale. */
    public String owner;
    public Instant heartbeatAt;
}
