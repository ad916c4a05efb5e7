package io.leadplatform.nurturing.repository;

import io.leadplatform.common.persistence.Columns;
import io.leadplatform.nurturing.domain.Mail;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leadplatform.nurturing.repository.ContactRepository.instant;
import static io.leadplatform.nurturing.repository.ContactRepository.utc;

/** The mail queue and the engagement with sent mails. */
@ApplicationScoped
public class MailRepository {

    private static final String COLUMNS = """
            id, lead_id, enrollment_id, sequence_id, sequence_version, step_id, step_seq, template_id, transactional, kind,
            to_address, variables::text as variables, message_id, state, due_at, attempts, sent_at""";

    /** A mail claimed by a dispatcher: {@code inDoubt} when a dead replica had begun sending it. */
    public record Claimed(Mail mail, boolean inDoubt) {
    }

    /** What became of a claimed mail. */
    public record Outcome(UUID id, String state, Instant dueAt, String error, Instant sentAt) {
    }

    /** An open or click to store. */
    public record Engagement(UUID id, UUID emailId, UUID leadId, String kind, String url, String link, String classification,
                             String reason, String method, String userAgent, Instant at) {
    }

    /** Queues mails; a mail whose (enrollment, step run) exists already is not queued again. Answers how many were new. */
    public Uni<Integer> queue(SqlClient c, List<Mail> mails) {
        if (mails.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return c.preparedQuery("""
                        insert into email_message (id, lead_id, enrollment_id, sequence_id, sequence_version, step_id, step_seq, template_id,
                                                   transactional, kind, to_address, variables, message_id, state, due_at, created_at)
                        select i, l, e, s, v, st, sq, t, tr, k, a, va::jsonb, mi, 'queued', d, now()
                        from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[], $6::text[], $7::int[], $8::text[],
                                    $9::bool[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[])
                             as x(i, l, e, s, v, st, sq, t, tr, k, a, va, mi, d)
                        on conflict do nothing""")
                .execute(Columns.of(mails).uuid(Mail::id).uuid(Mail::leadId).uuid(Mail::enrollmentId).uuid(Mail::sequenceId)
                        .integer(Mail::sequenceVersion).text(Mail::stepId).integer(Mail::stepSeq).text(Mail::templateId)
                        .bool(Mail::transactional).text(Mail::kind).text(Mail::toAddress).text(Mail::variables)
                        .text(Mail::messageId).time(Mail::dueAt).tuple())
                .map(RowSet::rowCount);
    }

    /** Times of the marketing mails of each lead (queued or sent) since {@code since}, oldest first: the frequency cap's count. */
    public Uni<Map<UUID, List<Instant>>> marketingSince(SqlClient c, UUID[] leads, Instant since) {
        return c.preparedQuery("""
                        select lead_id, coalesce(sent_at, due_at) as at from email_message
                        where lead_id = any($1) and transactional = false and state in ('queued', 'dispatching', 'sent', 'unknown')
                          and coalesce(sent_at, due_at) >= $2 order by 2""")
                .execute(Tuple.of(leads, utc(since))).map(rows -> {
                    Map<UUID, List<Instant>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getUUID("lead_id"), k -> new ArrayList<>()).add(instant(r, "at")));
                    return out;
                });
    }

    /**
     * Claims up to {@code limit} due mails, skipping rows locked by other replicas: queued ones, and ones a dead
     * replica left in 'dispatching' (in doubt: it may or may not have sent them) once its lease expired more than
     * {@code grace} ago. The grace is the longest an SMTP transaction may last: a live owner that began a send just
     * before its start deadline has finished it (or given up) by then, so the lookup of an in-doubt mail never races
     * a send still on the wire.
     */
    public Uni<List<Claimed>> claimDue(SqlClient c, String owner, int limit, Duration lease, Duration grace) {
        return c.preparedQuery("""
                        with due as (
                            select id, state as prior from email_message
                            where (state = 'queued' and due_at <= now()) or (state = 'dispatching' and claimed_until < now() - make_interval(secs => $4))
                            order by due_at limit $1 for update skip locked)
                        update email_message m set state = 'dispatching', claimed_by = $2,
                            claimed_until = now() + make_interval(secs => $3),
                            attempts = m.attempts + case when due.prior = 'queued' then 1 else 0 end
                        from due where m.id = due.id
                        returning due.prior, m.""" + COLUMNS.replace(", ", ", m."))
                .execute(Tuple.of(limit, owner, (double) lease.toMillis() / 1000, (double) grace.toMillis() / 1000))
                .map(rows -> {
                    List<Claimed> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Claimed(of(r), "dispatching".equals(r.getString("prior")))));
                    return out;
                });
    }

    /** Records outcomes of mails this owner still holds; answers the ids it held (the others were taken over). */
    public Uni<List<UUID>> finish(SqlClient c, String owner, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return c.preparedQuery("""
                        update email_message m set state = o.state, due_at = coalesce(o.due, m.due_at), last_error = o.error,
                            sent_at = coalesce(o.sent, m.sent_at), claimed_by = null,
                            -- 'dispatching' as an outcome: the SMTP transaction timed out, the server may have taken it; in doubt from now on
                            claimed_until = case when o.state = 'dispatching' then now() else null end
                        from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::timestamptz[]) as o(id, state, due, error, sent)
                        where m.id = o.id and m.claimed_by = $6
                        returning m.id""")
                .execute(Columns.of(outcomes).uuid(Outcome::id).text(Outcome::state).time(Outcome::dueAt).text(Outcome::error)
                        .time(Outcome::sentAt).tuple().addValue(owner))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return ids;
                });
    }

    public Uni<Mail> find(SqlClient c, UUID id) {
        return c.preparedQuery("select " + COLUMNS + " from email_message where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    public Uni<List<Mail>> byLead(SqlClient c, UUID leadId) {
        return c.preparedQuery("select " + COLUMNS + " from email_message where lead_id = $1 order by created_at").execute(Tuple.of(leadId))
                .map(rows -> {
                    List<Mail> out = new ArrayList<>();
                    rows.forEach(r -> out.add(of(r)));
                    return out;
                });
    }

    /** Suppresses the queued mails of a lead that are not transactional (after an unsubscribe, a bounce, an erasure). */
    public Uni<Integer> suppressQueued(SqlClient c, UUID leadId, boolean transactionalToo, String why) {
        return c.preparedQuery("""
                        update email_message set state = 'suppressed', last_error = $3
                        where lead_id = $1 and state = 'queued' and (transactional = false or $2)""")
                .execute(Tuple.of(leadId, transactionalToo, why)).map(RowSet::rowCount);
    }

    public Uni<Void> addEngagement(SqlClient c, Engagement e) {
        return c.preparedQuery("""
                        insert into email_engagement (id, email_id, lead_id, kind, url, link, classification, reason, method, user_agent, at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
                .execute(Tuple.from(java.util.Arrays.asList(e.id(), e.emailId(), e.leadId(), e.kind(), e.url(), e.link(),
                        e.classification(), e.reason(), e.method(), e.userAgent(), utc(e.at()))))
                .replaceWithVoid();
    }

    /** Different visible links of the mail clicked since {@code since} (the "all links at once" rule), this one included. */
    public Uni<Integer> linksClickedSince(SqlClient c, UUID emailId, String link, Instant since) {
        return c.preparedQuery("""
                        select count(distinct link) + case when $2 = any(array_agg(link)) then 0 else 1 end as n
                        from email_engagement where email_id = $1 and kind = 'clicked' and link <> 'trap' and at >= $3""")
                .execute(Tuple.of(emailId, link, utc(since))).map(rows -> rows.iterator().next().getInteger("n"));
    }

    /** Send steps of each enrollment whose mail a human opened / clicked: keys "enrollment/step/opened|clicked". */
    public Uni<java.util.Set<String>> humanEngagement(SqlClient c, UUID[] enrollments) {
        return c.preparedQuery("""
                        select distinct m.enrollment_id, m.step_id, g.kind from email_engagement g join email_message m on m.id = g.email_id
                        where m.enrollment_id = any($1) and g.classification = 'human'""")
                .execute(Tuple.of(enrollments)).map(rows -> {
                    java.util.Set<String> out = new java.util.HashSet<>();
                    rows.forEach(r -> out.add(r.getUUID("enrollment_id") + "/" + r.getString("step_id") + "/" + r.getString("kind")));
                    return out;
                });
    }

    static Mail of(Row r) {
        return new Mail(r.getUUID("id"), r.getUUID("lead_id"), r.getUUID("enrollment_id"), r.getUUID("sequence_id"),
                r.getInteger("sequence_version"), r.getString("step_id"), r.getInteger("step_seq"), r.getString("template_id"),
                r.getBoolean("transactional"), r.getString("kind"), r.getString("to_address"), r.getString("variables"),
                r.getString("message_id"), r.getString("state"), instant(r, "due_at"), r.getInteger("attempts"), instant(r, "sent_at"));
    }
}
