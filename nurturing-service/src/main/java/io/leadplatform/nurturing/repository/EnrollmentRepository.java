package io.leadplatform.nurturing.repository;

import io.leadplatform.common.persistence.Columns;
import io.leadplatform.nurturing.domain.Enrollment;
import io.leadplatform.nurturing.domain.Enrollment.HistoryEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.leadplatform.nurturing.repository.ContactRepository.instant;

/** Enrollments, their claims by the scheduler, and their history. */
@ApplicationScoped
public class EnrollmentRepository {

    private static final String COLUMNS = """
            id, lead_id, sequence_id, version, status, current_step, steps_done, next_due, trigger, started_at, ended_at, exit_reason""";

    /** A line to append to an enrollment's history. */
    public record NewEntry(UUID enrollmentId, String stepId, String action, String reason, Instant at) {
    }

    /** The new state of a claimed enrollment after a scheduler round (releases the claim). */
    public record Progress(UUID id, String status, String currentStep, int stepsDone, Instant nextDue, String exitReason) {
    }

    /** Did the lead ever go through this sequence (any version, any outcome)? */
    public Uni<Boolean> everEnrolled(SqlClient c, UUID leadId, UUID sequenceId) {
        return c.preparedQuery("select 1 from enrollment where lead_id = $1 and sequence_id = $2 limit 1")
                .execute(Tuple.of(leadId, sequenceId)).map(rows -> rows.size() > 0);
    }

    /** Enrolls unless the lead is already active in the sequence; answers the new id, or null. */
    public Uni<UUID> enroll(SqlClient c, UUID leadId, UUID sequenceId, int version, String firstStep, String trigger) {
        UUID id = UUID.randomUUID();
        return c.preparedQuery("""
                        insert into enrollment (id, lead_id, sequence_id, version, status, current_step, next_due, trigger, started_at)
                        values ($1, $2, $3, $4, 'active', $5, now(), $6, now())
                        on conflict (lead_id, sequence_id) where status = 'active' do nothing returning id""")
                .execute(Tuple.of(id, leadId, sequenceId, version, firstStep, trigger))
                .map(rows -> rows.size() == 0 ? null : id);
    }

    /**
     * Claims up to {@code limit} due enrollments that nobody holds (or whose holder's lease expired): skips rows
     * another replica has locked, so replicas never wait for each other; the lease outlives this transaction.
     */
    public Uni<List<Enrollment>> claimDue(SqlClient c, String owner, int limit, Duration lease) {
        return c.preparedQuery("""
                        update enrollment e set claimed_until = now() + make_interval(secs => $3), claimed_by = $2
                        from (select id from enrollment
                              where status = 'active' and next_due <= now() and (claimed_until is null or claimed_until < now())
                              order by next_due limit $1 for update skip locked) due
                        where e.id = due.id
                        returning e.""" + COLUMNS.replace(", ", ", e."))
                .execute(Tuple.of(limit, owner, (double) lease.toMillis() / 1000))
                .map(EnrollmentRepository::all);
    }

    /** Writes the state of enrollments this owner claimed and releases them; answers the ids it still held. */
    public Uni<List<UUID>> progress(SqlClient c, String owner, List<Progress> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return c.preparedQuery("""
                        update enrollment e set status = p.status, current_step = p.step, steps_done = p.done, next_due = p.due,
                            exit_reason = p.reason, ended_at = case when p.status = 'active' then null else now() end,
                            claimed_until = null, claimed_by = null
                        from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[])
                             as p(id, status, step, done, due, reason)
                        where e.id = p.id and e.claimed_by = $7 and e.status = 'active'
                        returning e.id""")
                .execute(Columns.of(rows).uuid(Progress::id).text(Progress::status).text(Progress::currentStep)
                        .integer(Progress::stepsDone).time(Progress::nextDue).text(Progress::exitReason).tuple().addValue(owner))
                .map(r -> {
                    List<UUID> ids = new ArrayList<>();
                    r.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    public Uni<Void> addHistory(SqlClient c, List<NewEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("""
                        insert into enrollment_history (enrollment_id, step_id, action, reason, at)
                        select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])""")
                .execute(Columns.of(entries).uuid(NewEntry::enrollmentId).text(NewEntry::stepId).text(NewEntry::action)
                        .text(NewEntry::reason).time(NewEntry::at).tuple())
                .replaceWithVoid();
    }

    /** Which of a lead's active enrollments {@link #exitActive} ends. */
    public enum Scope { ALL, PRE_SALE, SEQUENCE, GOAL_STAGE }

    /**
     * Ends the lead's active enrollments (all; those of pre-sale sequences; those of one sequence ({@code arg} = its
     * id); those whose goal is the stage {@code arg}) with a reason recorded in their history; answers how many ended.
     */
    public Uni<Integer> exitActive(SqlClient c, UUID leadId, Scope scope, String arg, String reason) {
        String version = " and exists (select 1 from sequence_version v where v.sequence_id = e.sequence_id and v.version = e.version and ";
        String filter = switch (scope) {
            case PRE_SALE -> version + "coalesce(v.definition->>'phase', 'pre-sale') = 'pre-sale')";
            case SEQUENCE -> " and e.sequence_id = $3::uuid";
            case GOAL_STAGE -> version + "v.definition->'goal'->'stages' ? $3)";
            case ALL -> "";
        };
        Tuple args = scope == Scope.SEQUENCE || scope == Scope.GOAL_STAGE ? Tuple.of(leadId, reason, arg) : Tuple.of(leadId, reason);
        return c.preparedQuery("""
                        with ended as (
                            update enrollment e set status = 'exited', exit_reason = $2, ended_at = now(), next_due = null,
                                claimed_until = null, claimed_by = null
                            where e.lead_id = $1 and e.status = 'active'""" + filter + """
                             returning e.id, e.current_step)
                        insert into enrollment_history (enrollment_id, step_id, action, reason, at)
                        select id, current_step, 'exited', $2, now() from ended""")
                .execute(args).map(RowSet::rowCount);
    }

    /** The lead's active enrollments with the definition of their version (for goals checked in code). */
    public Uni<List<UUID>> activeIds(SqlClient c, UUID leadId) {
        return c.preparedQuery("select id from enrollment where lead_id = $1 and status = 'active'").execute(Tuple.of(leadId))
                .map(rows -> {
                    List<UUID> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getUUID("id")));
                    return out;
                });
    }

    /** Active enrollments of the lead whose sequence version has a goal URL pattern: enrollment id → pattern. */
    public Uni<java.util.Map<UUID, String>> visitGoals(SqlClient c, UUID leadId) {
        return c.preparedQuery("""
                        select e.id, v.definition->'goal'->>'visited' as pattern from enrollment e
                        join sequence_version v on v.sequence_id = e.sequence_id and v.version = e.version
                        where e.lead_id = $1 and e.status = 'active' and v.definition->'goal'->>'visited' is not null""")
                .execute(Tuple.of(leadId)).map(rows -> {
                    java.util.Map<UUID, String> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.put(r.getUUID("id"), r.getString("pattern")));
                    return out;
                });
    }

    /** Ends one active enrollment if its sequence version's goal is a click; answers whether it ended. */
    public Uni<Boolean> exitOnClickGoal(SqlClient c, UUID enrollmentId, String reason) {
        return c.preparedQuery("""
                        with ended as (
                            update enrollment e set status = 'exited', exit_reason = $2, ended_at = now(), next_due = null,
                                claimed_until = null, claimed_by = null
                            from sequence_version v
                            where e.id = $1 and e.status = 'active' and v.sequence_id = e.sequence_id and v.version = e.version
                              and (v.definition->'goal'->>'clicked')::boolean
                            returning e.id, e.current_step)
                        insert into enrollment_history (enrollment_id, step_id, action, reason, at)
                        select id, current_step, 'exited', $2, now() from ended""")
                .execute(Tuple.of(enrollmentId, reason)).map(r -> r.rowCount() > 0);
    }

    /** Ends one active enrollment (goal reached by a visit); answers whether it ended. */
    public Uni<Boolean> exitOne(SqlClient c, UUID enrollmentId, String reason) {
        return c.preparedQuery("""
                        with ended as (
                            update enrollment e set status = 'exited', exit_reason = $2, ended_at = now(), next_due = null,
                                claimed_until = null, claimed_by = null
                            where e.id = $1 and e.status = 'active' returning e.id, e.current_step)
                        insert into enrollment_history (enrollment_id, step_id, action, reason, at)
                        select id, current_step, 'exited', $2, now() from ended""")
                .execute(Tuple.of(enrollmentId, reason)).map(r -> r.rowCount() > 0);
    }

    /** Moves active enrollments of one version to another, mapping their current step; answers how many moved. */
    public Uni<Integer> migrate(SqlClient c, UUID sequenceId, int from, int to, String[] oldSteps, String[] newSteps, String note) {
        return c.preparedQuery("""
                        with moved as (
                            update enrollment e set version = $3, current_step = m.new_step, claimed_until = null, claimed_by = null
                            from unnest($4::text[], $5::text[]) as m(old_step, new_step)
                            where e.sequence_id = $1 and e.version = $2 and e.status = 'active' and e.current_step = m.old_step
                            returning e.id, e.current_step)
                        insert into enrollment_history (enrollment_id, step_id, action, reason, at)
                        select id, current_step, 'migrated', $6, now() from moved""")
                .execute(Tuple.of(sequenceId, from, to, oldSteps, newSteps, note)).map(RowSet::rowCount);
    }

    /** Current steps of the active enrollments of a version (to check a migration's step mapping). */
    public Uni<List<String>> activeSteps(SqlClient c, UUID sequenceId, int version) {
        return c.preparedQuery("select distinct current_step from enrollment where sequence_id = $1 and version = $2 and status = 'active'")
                .execute(Tuple.of(sequenceId, version)).map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString("current_step")));
                    return out;
                });
    }

    /** Status of each enrollment. */
    public Uni<java.util.Map<UUID, String>> statuses(SqlClient c, UUID[] ids) {
        return c.preparedQuery("select id, status from enrollment where id = any($1)").execute(Tuple.of(ids)).map(rows -> {
            java.util.Map<UUID, String> out = new java.util.HashMap<>();
            rows.forEach(r -> out.put(r.getUUID("id"), r.getString("status")));
            return out;
        });
    }

    public Uni<Enrollment> find(SqlClient c, UUID id) {
        return c.preparedQuery("select " + COLUMNS + " from enrollment where id = $1").execute(Tuple.of(id))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Enrollment e = of(rows.iterator().next(), List.of());
                    return c.preparedQuery("select step_id, action, reason, at from enrollment_history where enrollment_id = $1 order by id")
                            .execute(Tuple.of(id)).map(h -> {
                                List<HistoryEntry> history = new ArrayList<>();
                                h.forEach(r -> history.add(new HistoryEntry(r.getString("step_id"), r.getString("action"),
                                        r.getString("reason"), instant(r, "at"))));
                                return withHistory(e, history);
                            });
                });
    }

    public Uni<List<Enrollment>> byLead(SqlClient c, UUID leadId) {
        return c.preparedQuery("select " + COLUMNS + " from enrollment where lead_id = $1 order by started_at").execute(Tuple.of(leadId))
                .map(EnrollmentRepository::all);
    }

    public Uni<List<Enrollment>> bySequence(SqlClient c, UUID sequenceId, String status, int limit) {
        return c.preparedQuery("select " + COLUMNS + " from enrollment where sequence_id = $1 and ($2::text is null or status = $2)"
                        + " order by started_at desc limit $3")
                .execute(Tuple.of(sequenceId, status, limit)).map(EnrollmentRepository::all);
    }

    private static List<Enrollment> all(RowSet<Row> rows) {
        List<Enrollment> out = new ArrayList<>();
        rows.forEach(r -> out.add(of(r, List.of())));
        return out;
    }

    private static Enrollment withHistory(Enrollment e, List<HistoryEntry> h) {
        return new Enrollment(e.id(), e.leadId(), e.sequenceId(), e.version(), e.status(), e.currentStep(), e.stepsDone(),
                e.nextDue(), e.trigger(), e.startedAt(), e.endedAt(), e.exitReason(), h);
    }

    static Enrollment of(Row r, List<HistoryEntry> history) {
        return new Enrollment(r.getUUID("id"), r.getUUID("lead_id"), r.getUUID("sequence_id"), r.getInteger("version"),
                r.getString("status"), r.getString("current_step"), r.getInteger("steps_done"), instant(r, "next_due"),
                r.getString("trigger"), instant(r, "started_at"), instant(r, "ended_at"), r.getString("exit_reason"), history);
    }
}
