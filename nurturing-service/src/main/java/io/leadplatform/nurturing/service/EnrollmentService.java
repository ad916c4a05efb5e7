package io.leadplatform.nurturing.service;

import io.leadplatform.nurturing.domain.Sequence;
import io.leadplatform.nurturing.repository.ContactRepository;
import io.leadplatform.nurturing.repository.EnrollmentRepository;
import io.leadplatform.nurturing.repository.EnrollmentRepository.NewEntry;
import io.leadplatform.nurturing.repository.EnrollmentRepository.Scope;
import io.leadplatform.nurturing.repository.SequenceRepository;
import io.leadplatform.nurturing.service.engine.StepEngine;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Who enters and who leaves sequences: triggers, manual enrollment, exits and goals. Runs in the caller's transaction. */
@ApplicationScoped
public class EnrollmentService {

    /** Reaching one of these stages ends pre-sale sequences. */
    static final Set<String> SALE_STAGES = Set.of("SQL", "OPPORTUNITY", "CUSTOMER");

    private final EnrollmentRepository enrollments;
    private final SequenceRepository sequences;
    private final ContactRepository contacts;

    public EnrollmentService(EnrollmentRepository enrollments, SequenceRepository sequences, ContactRepository contacts) {
        this.enrollments = enrollments;
        this.sequences = sequences;
        this.contacts = contacts;
    }

    /** The result of enrolling one lead. */
    public record Result(UUID leadId, String outcome, UUID enrollmentId, String reason) {
        public static final String ENROLLED = "enrolled";
        public static final String SKIPPED = "skipped";
    }

    /** Enrolls a lead into the current version of a sequence unless it may not enter. */
    public Uni<Result> enroll(SqlClient c, Sequence s, UUID leadId, String trigger) {
        return contacts.find(c, leadId).chain(contact -> {
            if (contact == null) {
                return skipped(leadId, "unknown lead: nurturing has no contact for it");
            }
            if (contact.permanentlyBlocked()) {
                return skipped(leadId, "lead cannot be mailed: " + contact.marketingBlock());
            }
            Uni<Boolean> before = s.definition().mayReenroll() ? Uni.createFrom().item(false) : enrollments.everEnrolled(c, leadId, s.id());
            return before.chain(was -> {
                if (was) {
                    return skipped(leadId, "already went through this sequence and re-enrollment is off");
                }
                String first = s.definition().steps().get(0).id();
                return enrollments.enroll(c, leadId, s.id(), s.version(), first, trigger).chain(id -> id == null
                        ? skipped(leadId, "already active in this sequence")
                        : enrollments.addHistory(c, List.of(new NewEntry(id, first, "entered",
                                trigger + " (version " + s.version() + ")", Instant.now())))
                        .replaceWith(new Result(leadId, Result.ENROLLED, id, trigger)));
            });
        });
    }

    private static Uni<Result> skipped(UUID leadId, String why) {
        return Uni.createFrom().item(new Result(leadId, Result.SKIPPED, null, why));
    }

    /** lead.stage-changed: exits (sale stages end pre-sale sequences, disqualified ends all, goal stages), then stage triggers. */
    public Uni<Integer> onStageChanged(SqlClient c, UUID leadId, String to) {
        Uni<Integer> exits;
        if ("DISQUALIFIED".equals(to)) {
            exits = enrollments.exitActive(c, leadId, Scope.ALL, null, "disqualified");
        } else if (SALE_STAGES.contains(to)) {
            exits = enrollments.exitActive(c, leadId, Scope.PRE_SALE, null, "became " + to + " (pre-sale sequence)");
        } else {
            exits = Uni.createFrom().item(0);
        }
        return exits
                .chain(() -> enrollments.exitActive(c, leadId, Scope.GOAL_STAGE, to, "goal reached: stage " + to))
                .chain(() -> sequences.triggeredByStage(c, to))
                .chain(list -> enrollAll(c, list, leadId, "stage " + to + " entered"));
    }

    /**
     * The stage triggers of a stage the lead reached before nurturing knew its address (lead.stage-changed consumed
     * before lead.captured): they could not enroll it then, so they run once the first address is known. A
     * sequence the lead is already active in, or went through without re-enrollment, is not entered again.
     */
    public Uni<Integer> onFirstAddress(SqlClient c, UUID leadId, String stage) {
        return sequences.triggeredByStage(c, stage)
                .chain(list -> enrollAll(c, list, leadId, "stage " + stage + " entered (before the address was known)"));
    }

    /** lead.captured from a form: the sequences triggered by that form. */
    public Uni<Integer> onForm(SqlClient c, UUID leadId, String formKey) {
        return sequences.triggeredByForm(c, formKey).chain(list -> enrollAll(c, list, leadId, "form " + formKey + " submitted"));
    }

    private Uni<Integer> enrollAll(SqlClient c, List<Sequence> list, UUID leadId, String trigger) {
        if (list.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(list)
                .onItem().transformToUniAndConcatenate(s -> enroll(c, s, leadId, trigger))
                .filter(r -> Result.ENROLLED.equals(r.outcome())).collect().asList().map(List::size);
    }

    /** A page view: ends enrollments whose goal is a visit to a matching URL. */
    public Uni<Void> onVisit(SqlClient c, UUID leadId, String url) {
        return enrollments.visitGoals(c, leadId).chain(goals -> {
            List<Uni<Boolean>> ends = goals.entrySet().stream()
                    .filter(g -> StepEngine.urlPattern(g.getValue()).matcher(url).matches())
                    .map(g -> enrollments.exitOne(c, g.getKey(), "goal reached: visited " + url)).toList();
            return ends.isEmpty() ? Uni.createFrom().voidItem()
                    : Multi.createFrom().iterable(ends).onItem().transformToUniAndConcatenate(u -> u).collect().last().replaceWithVoid();
        });
    }

    /** Unsubscribed, hard bounced, complained or erased: every enrollment ends. */
    public Uni<Integer> exitAll(SqlClient c, UUID leadId, String reason) {
        return enrollments.exitActive(c, leadId, Scope.ALL, null, reason);
    }

    public Uni<Boolean> onHumanClick(SqlClient c, UUID enrollmentId) {
        return enrollments.exitOnClickGoal(c, enrollmentId, "goal reached: clicked");
    }

}
