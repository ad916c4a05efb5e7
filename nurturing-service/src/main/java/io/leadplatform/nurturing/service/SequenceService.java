package io.leadplatform.nurturing.service;

import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.domain.Enrollment;
import io.leadplatform.nurturing.domain.Sequence;
import io.leadplatform.nurturing.domain.SequenceDefinition;
import io.leadplatform.nurturing.repository.EnrollmentRepository;
import io.leadplatform.nurturing.repository.SequenceRepository;
import io.leadplatform.nurturing.repository.TemplateRepository;
import io.leadplatform.nurturing.service.engine.SequenceValidator;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Use cases of sequences: versioned save (validated), read, migration of enrolled leads, manual enrollment. */
@ApplicationScoped
public class SequenceService {

    static final int MAX_MANUAL = 1000;

    private final Pool pool;
    private final SequenceRepository sequences;
    private final TemplateRepository templates;
    private final EnrollmentRepository enrollments;
    private final EnrollmentService enrollment;
    private final SequenceRunner runner;

    public SequenceService(Pool pool, SequenceRepository sequences, TemplateRepository templates, EnrollmentRepository enrollments,
                           EnrollmentService enrollment, SequenceRunner runner) {
        this.pool = pool;
        this.sequences = sequences;
        this.templates = templates;
        this.enrollments = enrollments;
        this.enrollment = enrollment;
        this.runner = runner;
    }

    public Uni<Sequence> create(SequenceDefinition d, String by) {
        UUID id = UUID.randomUUID();
        return pool.withTransaction(c -> validated(c, d).chain(() -> sequences.create(c, id, d, by)).chain(() -> sequences.find(c, id, null)));
    }

    /** Saves a new version; leads enrolled in earlier versions stay on theirs. */
    public Uni<Sequence> update(UUID id, SequenceDefinition d, String by) {
        return pool.withTransaction(c -> validated(c, d).chain(() -> sequences.addVersion(c, id, d, by)).chain(version -> version == null
                ? Uni.createFrom().failure(ProblemException.notFound("no sequence " + id))
                : sequences.find(c, id, version)));
    }

    private Uni<Void> validated(SqlClient c, SequenceDefinition d) {
        return templates.ids(c).chain(ids -> {
            List<Problem.FieldError> errors = SequenceValidator.validate(d, ids);
            return errors.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new ProblemException(Problem.invalid(errors)));
        });
    }

    public Uni<Sequence> get(UUID id, Integer version) {
        return pool.withConnection(c -> sequences.find(c, id, version))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no sequence " + id + (version == null ? "" : " version " + version)));
    }

    public Uni<List<Sequence>> list() {
        return pool.withConnection(sequences::listCurrent);
    }

    /**
     * Moves the active enrollments of version {@code from} to version {@code to}: each keeps its current step when the
     * new version has a step of that id, else goes to the step the mapping names. A step with no target is a 422.
     */
    public Uni<Integer> migrate(UUID id, int from, int to, Map<String, String> mapping, String by) {
        return pool.withTransaction(c -> sequences.find(c, id, from).chain(source -> sequences.find(c, id, to).chain(target -> {
            if (source == null || target == null) {
                return Uni.createFrom().failure(ProblemException.notFound("no sequence " + id + " version " + (source == null ? from : to)));
            }
            if (from == to) {
                return Uni.createFrom().failure(ProblemException.invalid("toVersion", "must differ from fromVersion"));
            }
            Set<String> targetSteps = new LinkedHashSet<>();
            target.definition().steps().forEach(s -> targetSteps.add(s.id()));
            return enrollments.activeSteps(c, id, from).chain(current -> {
                List<String> olds = new ArrayList<>();
                List<String> news = new ArrayList<>();
                List<Problem.FieldError> errors = new ArrayList<>();
                for (String step : current) {
                    String mapped = mapping != null && mapping.containsKey(step) ? mapping.get(step) : step;
                    if (!targetSteps.contains(mapped)) {
                        errors.add(new Problem.FieldError("stepMapping." + step, "enrolled leads wait at step '" + step
                                + "', which version " + to + " lacks: map it to one of " + targetSteps));
                    } else {
                        olds.add(step);
                        news.add(mapped);
                    }
                }
                if (!errors.isEmpty()) {
                    return Uni.createFrom().failure(new ProblemException(Problem.invalid(errors)));
                }
                return enrollments.migrate(c, id, from, to, olds.toArray(String[]::new), news.toArray(String[]::new),
                        "moved from version " + from + " to " + to + " by " + by);
            });
        })));
    }

    /** Enrolls leads by hand (one transaction per lead, so one refused lead does not hold back the others). */
    public Uni<List<EnrollmentService.Result>> enroll(UUID id, List<UUID> leadIds, String by) {
        if (leadIds == null || leadIds.isEmpty() || leadIds.size() > MAX_MANUAL) {
            return Uni.createFrom().failure(ProblemException.invalid("leadIds", "list 1 to " + MAX_MANUAL + " lead ids"));
        }
        if (leadIds.contains(null)) {
            return Uni.createFrom().failure(ProblemException.invalid("leadIds", "must not contain null"));
        }
        return get(id, null).chain(s -> Multi.createFrom().iterable(new LinkedHashSet<>(leadIds))
                .onItem().transformToUniAndConcatenate(lead -> pool.withTransaction(c -> enrollment.enroll(c, s, lead, "manual by " + by)))
                .collect().asList())
                .invoke(results -> runner.wakeUp());
    }

    public Uni<Enrollment> enrollmentOf(UUID enrollmentId) {
        return pool.withConnection(c -> enrollments.find(c, enrollmentId))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no enrollment " + enrollmentId));
    }

    public Uni<List<Enrollment>> enrollmentsOfLead(UUID leadId) {
        return pool.withConnection(c -> enrollments.byLead(c, leadId));
    }

    public Uni<List<Enrollment>> enrollmentsOfSequence(UUID id, String status, int limit) {
        return pool.withConnection(c -> enrollments.bySequence(c, id, status, limit));
    }
}
