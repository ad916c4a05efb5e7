package io.leadplatform.capture.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.capture.config.ImportConfig;
import io.leadplatform.capture.domain.ImportError;
import io.leadplatform.capture.domain.ImportJob;
import io.leadplatform.capture.domain.ImportMapping;
import io.leadplatform.capture.repository.ImportErrorRepository;
import io.leadplatform.capture.repository.ImportJobRepository;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * CSV contact-list imports. {@link #start} runs on a worker thread: it checks the mapping against the
 * header and the whole file's CSV syntax in one streaming pass (constant memory), stores the job and hands
 * it to {@link ImportRunner}. All blocking file work happens on workers; database work is reactive.
 */
@ApplicationScoped
public class ImportService {

    private final ImportJobRepository jobs;
    private final ImportErrorRepository errors;
    private final ImportRunner runner;
    private final ImportConfig config;
    private final ObjectMapper mapper;
    private final Pool pool;

    public ImportService(ImportJobRepository jobs, ImportErrorRepository errors, ImportRunner runner, ImportConfig config,
                         ObjectMapper mapper, Pool pool) {
        this.pool = pool;
        this.jobs = jobs;
        this.errors = errors;
        this.runner = runner;
        this.config = config;
        this.mapper = mapper;
    }

    /** The upload as received (its file still where the HTTP layer put it). */
    public record Upload(Path file, String fileName, String mappingJson, String listName, String channel, String campaign,
                         String user) {
    }

    /** Blocking: call on a worker thread. Answers the queued job. */
    public ImportJob start(Upload upload) {
        List<Problem.FieldError> problems = new ArrayList<>();
        if (upload.file() == null) {
            problems.add(new Problem.FieldError("file", "is required (a CSV file part)"));
        }
        text("listName", upload.listName(), true, 200, problems);
        text("channel", upload.channel(), true, 100, problems);
        text("campaign", upload.campaign(), false, 200, problems);
        ImportMapping mapping = parseMapping(upload.mappingJson(), problems);
        if (!problems.isEmpty()) {
            throw new ProblemException(Problem.invalid(problems));
        }
        long rows = prescan(upload.file(), mapping);
        ImportJob job = new ImportJob();
        job.id = UUID.randomUUID();
        Path kept = keep(upload.file(), job.id);
        job.listName = upload.listName().strip();
        job.channel = upload.channel().strip();
        job.campaign = upload.campaign() == null || upload.campaign().isBlank() ? null : upload.campaign().strip();
        job.fileName = upload.fileName() == null ? null : upload.fileName().substring(0, Math.min(200, upload.fileName().length()));
        job.mapping = json(mapping);
        job.state = ImportJob.QUEUED;
        job.rowsTotal = rows;
        job.createdBy = upload.user();
        job.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        job.owner = runner.instance();
        job.heartbeatAt = job.createdAt;
        try {
            await(() -> jobs.insert(pool, job));
        } catch (RuntimeException e) {
            deleteQuietly(kept);
            throw e;
        }
        runner.submit(job.id, kept, mapping);
        return job;
    }

    public ImportJob get(UUID id) {
        ImportJob job = await(() -> jobs.findById(pool, id));
        if (job == null) {
            throw ProblemException.notFound("no import job " + id);
        }
        return job;
    }

    /** The row errors of a job as CSV: row, field, message (row = line of the file, the header is row 1). */
    public String errorsCsv(UUID id) {
        get(id);
        List<ImportError> list = await(() -> errors.ofJob(pool, id));
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader("row", "field", "message").get())) {
            for (ImportError e : list) {
                printer.printRecord(e.rowNo, e.field, e.message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The CSV format of a mapping: header on the first line, RFC 4180 quoting, duplicate header names refused. */
    static CSVFormat format(ImportMapping mapping) {
        char delimiter = mapping.delimiter() == null || mapping.delimiter().isEmpty() ? ',' : mapping.delimiter().charAt(0);
        return CSVFormat.RFC4180.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW).get();
    }

    static Reader reader(Path file) throws IOException {
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** One streaming pass: the header holds every mapped column and the file is well-formed CSV. Answers the row count. */
    long prescan(Path file, ImportMapping mapping) {
        try (Reader reader = reader(file); CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format(mapping)).get()) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new ProblemException(Problem.of(400, "Malformed CSV", "the file is empty: the first line must be the header"));
            }
            List<Problem.FieldError> missing = new ArrayList<>();
            mapping.columns().forEach((field, column) -> requireColumn("mapping.columns." + field, column, header, missing));
            if (mapping.extra() != null) {
                mapping.extra().forEach((name, column) -> requireColumn("mapping.extra." + name, column, header, missing));
            }
            if (mapping.consents() != null) {
                for (int i = 0; i < mapping.consents().size(); i++) {
                    requireColumn("mapping.consents[" + i + "].column", mapping.consents().get(i).column(), header, missing);
                }
            }
            if (!missing.isEmpty()) {
                throw new ProblemException(Problem.invalid(missing));
            }
            long rows = 0;
            Iterator<CSVRecord> it = parser.iterator();
            while (it.hasNext()) {
                it.next();
                rows++;
            }
            return rows;
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new ProblemException(Problem.of(400, "Malformed CSV", "the file is not valid CSV: " + clip(e.getMessage())));
        } catch (IOException e) {
            throw new ProblemException(Problem.of(400, "Malformed CSV", "the file could not be read: " + clip(e.getMessage())));
        }
    }

    private static void requireColumn(String field, String column, List<String> header, List<Problem.FieldError> missing) {
        if (!header.contains(column)) {
            String found = String.join(", ", header.subList(0, Math.min(header.size(), 30)));
            missing.add(new Problem.FieldError(field, "column '" + clip(column) + "' is not in the CSV header (found: " + clip(found) + ")"));
        }
    }

    private ImportMapping parseMapping(String json, List<Problem.FieldError> problems) {
        if (json == null || json.isBlank()) {
            problems.add(new Problem.FieldError("mapping", "is required: {\"columns\":{\"email\":\"<header of the e-mail column>\"}}"));
            return null;
        }
        ImportMapping mapping;
        try {
            mapping = mapper.readValue(json, ImportMapping.class);
        } catch (JsonProcessingException e) {
            problems.add(new Problem.FieldError("mapping", "is not valid JSON of the documented shape"));
            return null;
        }
        if (mapping == null || mapping.columns() == null || !mapping.columns().containsKey("email")) {
            problems.add(new Problem.FieldError("mapping.columns.email", "is required: name the column holding the e-mail"));
            return mapping;
        }
        mapping.columns().forEach((field, column) -> {
            if (!LeadIntake.FIELDS.contains(field)) {
                problems.add(new Problem.FieldError("mapping.columns." + field, "is not a lead field; use one of "
                        + LeadIntake.FIELDS.stream().sorted().toList() + " or map it under 'extra'"));
            }
            if (column == null || column.isBlank()) {
                problems.add(new Problem.FieldError("mapping.columns." + field, "must name a column"));
            }
        });
        if (mapping.consents() != null) {
            for (int i = 0; i < mapping.consents().size(); i++) {
                ImportMapping.ConsentColumn c = mapping.consents().get(i);
                if (c == null || c.purpose() == null || c.purpose().isBlank() || c.column() == null || c.column().isBlank()) {
                    problems.add(new Problem.FieldError("mapping.consents[" + i + "]", "needs a purpose and a column"));
                }
            }
        }
        if (mapping.extra() != null) {
            mapping.extra().forEach((name, column) -> {
                if (column == null || column.isBlank()) {
                    problems.add(new Problem.FieldError("mapping.extra." + name, "must name a column"));
                }
            });
        }
        if (mapping.delimiter() != null && mapping.delimiter().length() != 1
                || mapping.delimiter() != null && "\"\r\n".contains(mapping.delimiter())) {
            problems.add(new Problem.FieldError("mapping.delimiter", "must be one character such as , ; | or a tab"));
        }
        return mapping;
    }

    /** Moves the upload to the job's work file, where a restarted instance finds it to resume the job. */
    private Path keep(Path uploaded, UUID jobId) {
        try {
            Path target = runner.workFile(jobId);
            Files.createDirectories(target.getParent());
            Files.move(uploaded, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    private static void text(String field, String value, boolean required, int max, List<Problem.FieldError> problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(new Problem.FieldError(field, "is required"));
            }
        } else if (value.length() > max) {
            problems.add(new Problem.FieldError(field, "size must be between 1 and " + max));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            problems.add(new Problem.FieldError(field, "must not contain control characters"));
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> uni) {
        try {
            return VertxContextSupport.subscribeAndAwait(uni::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
