package io.leadplatform.capture.service;

import io.leadplatform.capture.config.ImportConfig;
import io.leadplatform.capture.domain.ImportError;
import io.leadplatform.capture.domain.ImportJob;
import io.leadplatform.capture.domain.ImportMapping;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.messaging.LeadEvents;
import io.leadplatform.capture.repository.ImportErrorRepository;
import io.leadplatform.capture.repository.ImportJobRepository;
import io.leadplatform.capture.repository.LeadRepository;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.persistence.DatabaseFailures;
import io.leadplatform.common.rest.Problem;
import io.quarkus.scheduler.Scheduled;
import io.leadplatform.capture.messaging.TransactionOutbox;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jboss.logging.Logger;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs import jobs one at a time on its own thread: reads the file row by row and commits every
 * {@code capture.imports.batch-size} rows in one transaction (new leads, their lead.captured outbox
 * events, row errors, the job's counters). Memory stays bounded by one batch, whatever the file size.
 * <p>
 * Jobs survive a restart: the job's file is kept as {@code <work dir>/<job id>.csv} until the job ends, and
 * {@code rows_read} commits with each batch, so it says exactly which rows are done. The instance that owns a
 * job refreshes its heartbeat; when an instance stops (or dies), its jobs stay queued or running, and after
 * {@code capture.imports.orphan-after} an instance that holds the file claims the job and resumes after
 * {@code rows_read}: no row twice, none skipped. Every batch checks in its transaction that its instance still
 * owns the job, so a job is never written by two instances.
 */
@ApplicationScoped
public class ImportRunner {

    private static final Logger LOG = Logger.getLogger(ImportRunner.class);

    private final ImportJobRepository jobs;
    private final ImportErrorRepository errors;
    private final LeadRepository leads;
    private final LeadEvents events;
    private final LeadIntake intake;
    private final ImportConfig config;
    private final ObjectMapper mapper;
    private final Pool pool;
    private final TransactionOutbox outbox;
    private final String instance = UUID.randomUUID().toString();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "csv-import");
        t.setDaemon(true);
        return t;
    });

    public ImportRunner(ImportJobRepository jobs, ImportErrorRepository errors, LeadRepository leads, LeadEvents events,
                        LeadIntake intake, ImportConfig config, ObjectMapper mapper, Pool pool, TransactionOutbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
        this.jobs = jobs;
        this.errors = errors;
        this.leads = leads;
        this.events = events;
        this.intake = intake;
        this.config = config;
        this.mapper = mapper;
    }

    /** This instance's name as owner of import jobs. */
    String instance() {
        return instance;
    }

    /** Where a job's file stays until the job ends. */
    Path workFile(UUID jobId) {
        return Path.of(config.workDir().orElse(System.getProperty("java.io.tmpdir") + "/capture-imports")).resolve(jobId + ".csv");
    }

    void submit(UUID jobId, Path file, ImportMapping mapping) {
        executor.submit(() -> run(jobId, file, mapping));
    }

    /**
     * Keeps this instance's jobs alive (heartbeat), then claims the orphaned ones whose file is here and resumes
     * them. Answers how many jobs it resumed.
     */
    @Scheduled(every = "${capture.imports.heartbeat-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeatAndResume() {
        try {
            resumeOrphans();
        } catch (RuntimeException e) {
            LOG.warnf("import heartbeat failed (next round retries): %s", e.toString());
        }
    }

    public int resumeOrphans() {
        Instant staleBefore = Instant.now().minus(config.orphanAfter());
        List<ImportJob> orphans = ImportService.await(() -> pool.withTransaction(c -> jobs.heartbeat(c, instance)
                .chain(() -> jobs.orphans(c, instance, staleBefore))));
        int resumed = 0;
        for (ImportJob job : orphans) {
            Path file = workFile(job.id);
            if (!Files.exists(file)) {
                continue; // another instance holds the file
            }
            ImportMapping mapping;
            try {
                mapping = mapper.readValue(job.mapping, ImportMapping.class);
            } catch (JsonProcessingException e) {
                LOG.errorf("import %s: stored mapping unreadable, not resumed", job.id);
                continue;
            }
            boolean claimed = ImportService.await(() -> jobs.claim(pool, job.id, instance, staleBefore)) == 1;
            if (claimed) {
                LOG.infof("import %s: resuming after row %d (its instance stopped)", job.id, job.rowsRead);
                submit(job.id, file, mapping);
                resumed++;
            }
        }
        return resumed;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One row after mapping and validation; {@code lead} is null when {@code errors} says why. */
    private record Row(long rowNo, Lead lead, List<Problem.FieldError> errors) {
    }

    private void run(UUID jobId, Path file, ImportMapping mapping) {
        ImportJob job;
        int[] stored = {0};
        try {
            job = ImportService.await(() -> jobs.start(pool, jobId, instance, Instant.now().truncatedTo(ChronoUnit.MICROS)));
            if (job == null || !instance.equals(job.owner)) {
                LOG.infof("import %s: owned by another instance, not run here", jobId);
                return;
            }
            // row errors already stored by an earlier run of this job count against the limit
            stored[0] = (int) Math.min(config.maxStoredErrors(), ImportService.await(() -> errors.count(pool, jobId)));
        } catch (RuntimeException e) {
            LOG.errorf("import %s could not start: %s", jobId, e.getClass().getName());
            return; // the job stays queued; its heartbeat stops, so it is resumed later
        }
        long done = job.rowsRead;
        boolean ended = false;
        try (Reader reader = ImportService.reader(file);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(ImportService.format(mapping)).get()) {
            int columns = parser.getHeaderNames().size();
            List<Row> batch = new ArrayList<>(config.batchSize());
            for (CSVRecord record : parser) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("service stopping");
                }
                if (record.getRecordNumber() <= done) {
                    continue; // committed by an earlier run of this job
                }
                batch.add(row(job, mapping, record, columns));
                if (batch.size() == config.batchSize()) {
                    flush(job, batch, stored);
                    batch = new ArrayList<>(config.batchSize());
                }
            }
            if (!batch.isEmpty()) {
                flush(job, batch, stored);
            }
            finish(jobId, ImportJob.DONE, stored[0] >= config.maxStoredErrors()
                    ? "only the first " + config.maxStoredErrors() + " row errors are kept for download" : null);
            ended = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.infof("import %s paused (service stopping); it resumes after the committed rows", jobId);
        } catch (Exception e) {
            if (lostOwnership(e)) {
                LOG.infof("import %s: claimed by another instance; stopped here", jobId);
                return;
            }
            if (DatabaseFailures.unavailable(e)) {
                // the rows committed so far stay done; the job resumes once its heartbeat is stale
                LOG.warnf("import %s paused: database unavailable (%s)", jobId, e.toString());
                return;
            }
            LOG.errorf("import %s failed: %s", jobId, e.getClass().getName());
            try {
                finish(jobId, ImportJob.FAILED, "stopped after the rows counted so far: " + e.getClass().getSimpleName());
            } catch (RuntimeException again) {
                LOG.errorf("import %s: could not record the failure", jobId);
            }
            ended = true;
        } finally {
            if (ended) {
                ImportService.deleteQuietly(file);
            }
        }
    }

    private static boolean lostOwnership(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LostOwnership) {
                return true;
            }
        }
        return false;
    }

    /** A batch found that another instance claimed the job (this one was taken for dead): it rolls back. */
    static final class LostOwnership extends RuntimeException {
        LostOwnership(UUID jobId) {
            super("import " + jobId + " is owned by another instance", null, false, false);
        }
    }

    private void finish(UUID jobId, String state, String detail) {
        // not when another instance claimed the job meanwhile: its run decides the outcome
        ImportService.await(() -> jobs.finish(pool, jobId, instance, state, detail, Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    private Row row(ImportJob job, ImportMapping mapping, CSVRecord record, int columns) {
        long rowNo = record.getRecordNumber() + 1;  // the header is row 1, as in a spreadsheet
        if (record.size() != columns) {
            return new Row(rowNo, null, List.of(new Problem.FieldError(null,
                    "has " + record.size() + " columns, the header has " + columns)));
        }
        Map<String, String> values = new LinkedHashMap<>();
        mapping.columns().forEach((field, column) -> values.put(field, record.get(column)));
        Map<String, Object> extra = new LinkedHashMap<>();
        if (mapping.extra() != null) {
            mapping.extra().forEach((name, column) -> {
                String v = record.get(column);
                if (v != null && !v.isBlank()) {
                    extra.put(name, v.strip());
                }
            });
        }
        List<SubmissionRequest.ConsentGrant> consents = new ArrayList<>();
        List<Problem.FieldError> mappingErrors = new ArrayList<>();
        if (mapping.consents() != null) {
            for (ImportMapping.ConsentColumn c : mapping.consents()) {
                try {
                    Boolean granted = LeadIntake.consentValue(record.get(c.column()));
                    if (granted != null) {
                        consents.add(new SubmissionRequest.ConsentGrant(c.purpose(), granted, c.textVersion()));
                    }
                } catch (IllegalArgumentException e) {
                    mappingErrors.add(new Problem.FieldError(c.column(), e.getMessage()));
                }
            }
        }
        LeadIntake.Checked checked = intake.check(new LeadIntake.Raw(values, extra, consents, mappingErrors),
                "import", job.listName, job.channel, job.campaign, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return new Row(rowNo, checked.lead(), checked.errors());
    }

    /** One transaction for the batch; a concurrent insert of the same e-mail elsewhere makes it run once more. */
    private void flush(ImportJob job, List<Row> batch, int[] stored) {
        int before = stored[0];
        try {
            ImportService.await(() -> pool.withTransaction(c -> write(c, job, batch, stored)));
        } catch (RuntimeException e) {
            if (!WebhookService.isUniqueViolation(e)) {
                throw e;
            }
            stored[0] = before;
            ImportService.await(() -> pool.withTransaction(c -> write(c, job, batch, stored)));
        }
    }

    private Uni<Void> write(SqlClient c, ImportJob job, List<Row> batch, int[] stored) {
        Map<String, Long> firstRow = new HashMap<>();
        for (Row row : batch) {
            if (row.lead() != null) {
                firstRow.putIfAbsent(row.lead().email, row.rowNo());
            }
        }
        return leads.findByEmails(c, firstRow.keySet()).chain(existing -> {
            Map<String, Lead> known = new HashMap<>();
            existing.forEach(l -> known.put(l.email.toLowerCase(java.util.Locale.ROOT), l));
            List<Lead> fresh = new ArrayList<>();
            List<ImportError> rowErrors = new ArrayList<>();
            long duplicates = 0;
            long invalid = 0;
            for (Row row : batch) {
                if (row.lead() == null) {
                    invalid++;
                    for (Problem.FieldError e : row.errors()) {
                        addError(job, row.rowNo(), e.field(), e.message(), rowErrors, stored);
                    }
                    continue;
                }
                String email = row.lead().email;
                Lead other = known.get(email);
                if (firstRow.get(email) != row.rowNo()) {
                    duplicates++;
                    addError(job, row.rowNo(), "email", "duplicate of row " + firstRow.get(email) + " of this file", rowErrors, stored);
                } else if (other != null) {
                    duplicates++;
                    boolean sameFile = "import".equals(other.source) && job.listName.equals(other.sourceRef)
                            && !other.createdAt.isBefore(job.startedAt);
                    addError(job, row.rowNo(), "email", sameFile ? "duplicate of an earlier row of this file"
                            : "already known (lead from source " + other.source + "); not imported", rowErrors, stored);
                } else {
                    fresh.add(row.lead());
                }
            }
            long dups = duplicates;
            long bad = invalid;
            return leads.insertAll(c, fresh)
                    .chain(() -> outbox.addAll(c, fresh.stream().map(events::capturedEvent).toList()))
                    .chain(() -> errors.insertAll(c, rowErrors))
                    .chain(() -> jobs.addProgress(c, job.id, instance, batch.size(), fresh.size(), dups, bad))
                    .invoke(updated -> {
                        if (updated == 0) {
                            throw new LostOwnership(job.id);
                        }
                    })
                    .replaceWithVoid();
        });
    }

    private void addError(ImportJob job, long rowNo, String field, String message, List<ImportError> out, int[] stored) {
        if (stored[0] >= config.maxStoredErrors()) {
            return;
        }
        stored[0]++;
        ImportError e = new ImportError();
        e.id = UUID.randomUUID();
        e.jobId = job.id;
        e.rowNo = rowNo;
        e.field = field;
        e.message = message;
        out.add(e);
    }
}
