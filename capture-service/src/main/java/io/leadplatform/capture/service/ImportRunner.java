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
import io.leadplatform.common.rest.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jboss.logging.Logger;

import java.io.Reader;
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
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "csv-import");
        t.setDaemon(true);
        return t;
    });

    public ImportRunner(ImportJobRepository jobs, ImportErrorRepository errors, LeadRepository leads, LeadEvents events,
                        LeadIntake intake, ImportConfig config) {
        this.jobs = jobs;
        this.errors = errors;
        this.leads = leads;
        this.events = events;
        this.intake = intake;
        this.config = config;
    }

    void submit(UUID jobId, Path file, ImportMapping mapping) {
        executor.submit(() -> run(jobId, file, mapping));
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
        try {
            job = ImportService.await(() -> Panache.withTransaction(() -> jobs.findById(jobId).invoke(j -> {
                j.state = ImportJob.RUNNING;
                j.startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            })));
        } catch (RuntimeException e) {
            LOG.errorf("import %s could not start: %s", jobId, e.getClass().getName());
            ImportService.deleteQuietly(file);
            return;
        }
        int[] stored = {0};
        try (Reader reader = ImportService.reader(file);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(ImportService.format(mapping)).get()) {
            int columns = parser.getHeaderNames().size();
            List<Row> batch = new ArrayList<>(config.batchSize());
            for (CSVRecord record : parser) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("service stopping");
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
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.errorf("import %s failed: %s", jobId, e.getClass().getName());
            try {
                finish(jobId, ImportJob.FAILED, "stopped after the rows counted so far: " + e.getClass().getSimpleName());
            } catch (RuntimeException again) {
                LOG.errorf("import %s: could not record the failure", jobId);
            }
        } finally {
            ImportService.deleteQuietly(file);
        }
    }

    private void finish(UUID jobId, String state, String detail) {
        ImportService.await(() -> Panache.withTransaction(() -> jobs.findById(jobId).invoke(j -> {
            j.state = state;
            j.detail = detail;
            j.finishedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        })));
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
            ImportService.await(() -> Panache.withTransaction(() -> write(job, batch, stored)));
        } catch (RuntimeException e) {
            if (!WebhookService.isUniqueViolation(e)) {
                throw e;
            }
            stored[0] = before;
            ImportService.await(() -> Panache.withTransaction(() -> write(job, batch, stored)));
        }
    }

    private Uni<Void> write(ImportJob job, List<Row> batch, int[] stored) {
        Map<String, Long> firstRow = new HashMap<>();
        for (Row row : batch) {
            if (row.lead() != null) {
                firstRow.putIfAbsent(row.lead().email, row.rowNo());
            }
        }
        return leads.findByEmails(firstRow.keySet()).chain(existing -> {
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
            return leads.persist(fresh)
                    .chain(() -> Multi.createFrom().iterable(fresh).onItem().transformToUniAndConcatenate(events::captured)
                            .collect().last())
                    .chain(() -> rowErrors.isEmpty() ? Uni.createFrom().voidItem() : errors.persist(rowErrors))
                    .chain(() -> jobs.addProgress(job.id, batch.size(), fresh.size(), dups, bad))
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
