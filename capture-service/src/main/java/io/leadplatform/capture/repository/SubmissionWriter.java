package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.ConsentChange;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.domain.VisitorActivity;
import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.common.persistence.Columns;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes a batch of public form submissions in one transaction with a fixed number of multi-row
 * statements (plain SQL on the reactive client, no ORM): new leads, their submissions, consent
 * history, visitor links with the visitor's anonymous activity, spam records, and the outbox events
 * of all of them. A new lead whose e-mail is already known is not written (ON CONFLICT on the
 * unique lower(email) index): it answers {@link Result#EXISTS} and the caller updates the existing
 * lead instead. Row formats are the ones the repositories ({@link LeadRepository}, FormSubmissionRepository,
 * ConsentChangeRepository, VisitorLinkRepository) read.
 */
@ApplicationScoped
public class SubmissionWriter {

    /** What happened to one item of a batch. */
    public enum Result {
        /** the new lead and everything with it committed */
        CREATED,
        /** nothing written: a lead with this e-mail exists (or came earlier in the same batch) */
        EXISTS,
        /** the spam record committed */
        SPAM_RECORDED
    }

    /** One item of a batch. */
    public sealed interface Item permits NewLead, Spam {
    }

    /**
     * A submission that creates a lead. {@code lead} is complete but not persisted; {@code consents}
     * are the consent-history rows it records; {@code events} its outbox rows (lead.captured first);
     * {@code optIn} the lead.optin-requested row or null. Linked anonymous activity becomes
     * lead.activity events made by {@code activityEvent}.
     */
    public record NewLead(Lead lead, UUID submissionId, UUID formId, String visitorId, String payloadJson,
                          String utmJson, String fieldsJson, String consentsJson, List<ConsentChange> consents,
                          String linkedBy, OutboxEvent captured, OutboxEvent optIn,
                          Function<VisitorActivity, OutboxEvent> activityEvent) implements Item {
    }

    /** A submission rejected as spam: counted, stored without personal data. */
    public record Spam(UUID formId, String reason, Instant receivedAt) implements Item {
    }

    /** New leads; a known e-mail is skipped (the unique lower(email) index) instead of failing the batch. */
    private static final String INSERT_LEADS = LeadRepository.INSERT_ALL + "\non conflict ((lower(email))) do nothing\nreturning id";

    private static final String INSERT_SUBMISSIONS = """
            insert into form_submission (id, form_id, lead_id, visitor_id, payload, received_at)
            select id, form_id, lead_id, visitor_id, payload::jsonb, received_at
            from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[])
                 as t(id, form_id, lead_id, visitor_id, payload, received_at)""";

    /** The first submission that carries a visitor id links it; an id that belongs to a lead is never moved. */
    private static final String INSERT_LINKS = """
            insert into visitor_link (visitor_id, lead_id, linked_at, linked_by)
            select * from unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::text[])
            on conflict (visitor_id) do nothing
            returning visitor_id, lead_id""";

    private static final String LINK_ACTIVITY = """
            update visitor_activity va set lead_id = l.lead_id, linked_at = l.linked_at
            from unnest($1::text[], $2::uuid[], $3::timestamptz[]) as l(visitor_id, lead_id, linked_at)
            where va.visitor_id = l.visitor_id and va.lead_id is null
            returning va.id, va.visitor_id, va.lead_id, va.activity_type, va.url, va.asset, va.duration_seconds,
                      va.occurred_at, va.received_at, va.linked_at""";

    private static final String INSERT_SPAM = """
            insert into spam_submission (id, form_id, reason, received_at)
            select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[])""";

    private static final java.time.Duration WRITE_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final Pool pool;
    private final Outbox outbox;
    private final DistributionSummary batchSizes;

    public SubmissionWriter(Pool pool, Outbox outbox, MeterRegistry registry) {
        this.pool = pool;
        this.outbox = outbox;
        this.batchSizes = DistributionSummary.builder("capture.submission.batch.size")
                .description("Public form submissions written per transaction (group commit)")
                .register(registry);
    }

    /** Writes the batch in one transaction; answers one result per item, in order. */
    public Uni<List<Result>> write(List<Item> items) {
        batchSizes.record(items.size());
        List<NewLead> leads = new ArrayList<>();
        List<Spam> spam = new ArrayList<>();
        for (Item item : items) {
            if (item instanceof NewLead n) {
                leads.add(n);
            } else {
                spam.add((Spam) item);
            }
        }
        Set<UUID> created = new HashSet<>();
        return pool.withTransaction(conn -> insertLeads(conn, leads)
                        .invoke(created::addAll)
                        .chain(ids -> writeCreated(conn, leads.stream().filter(n -> ids.contains(n.lead().id)).toList()))
                        .chain(() -> insertSpam(conn, spam)))
                // a database that does not answer fails the batch instead of holding its callers forever
                .ifNoItem().after(WRITE_TIMEOUT).fail()
                .invoke(() -> {
                    if (!created.isEmpty()) {
                        outbox.committed();
                    }
                })
                .map(ignored -> {
                    List<Result> results = new ArrayList<>(items.size());
                    for (Item item : items) {
                        results.add(item instanceof NewLead n
                                ? (created.contains(n.lead().id) ? Result.CREATED : Result.EXISTS)
                                : Result.SPAM_RECORDED);
                    }
                    return results;
                });
    }

    private Uni<Set<UUID>> insertLeads(SqlConnection conn, List<NewLead> leads) {
        if (leads.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        Tuple params = LeadRepository.columns(leads, NewLead::lead, NewLead::utmJson, NewLead::fieldsJson, NewLead::consentsJson);
        return conn.preparedQuery(INSERT_LEADS).execute(params).map(rows -> {
            Set<UUID> ids = new HashSet<>();
            for (Row row : rows) {
                ids.add(row.getUUID("id"));
            }
            return ids;
        });
    }

    private Uni<Void> writeCreated(SqlConnection conn, List<NewLead> created) {
        if (created.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return insertSubmissions(conn, created)
                .chain(() -> insertConsents(conn, created))
                .chain(() -> linkVisitors(conn, created))
                .chain(activity -> {
                    // per lead: lead.captured, then its linked activity (oldest first), then lead.optin-requested
                    Map<UUID, List<VisitorActivity>> byLead = new HashMap<>();
                    activity.stream().sorted(Comparator.comparing((VisitorActivity a) -> a.occurredAt))
                            .forEach(a -> byLead.computeIfAbsent(a.leadId, k -> new ArrayList<>()).add(a));
                    List<OutboxEvent> events = new ArrayList<>();
                    for (NewLead n : created) {
                        events.add(n.captured());
                        for (VisitorActivity a : byLead.getOrDefault(n.lead().id, List.of())) {
                            // built here, in the context of whichever submission flushed the batch: give it the
                            // trace of the submission that linked the activity
                            events.add(n.activityEvent().apply(a).inTraceOf(n.captured()));
                        }
                        if (n.optIn() != null) {
                            events.add(n.optIn());
                        }
                    }
                    return outbox.insertAll(conn, events);
                });
    }

    private Uni<Void> insertSubmissions(SqlConnection conn, List<NewLead> created) {
        return conn.preparedQuery(INSERT_SUBMISSIONS)
                .execute(Columns.of(created).uuid(NewLead::submissionId).uuid(NewLead::formId).uuid(n -> n.lead().id)
                        .text(NewLead::visitorId).text(NewLead::payloadJson).time(n -> n.lead().createdAt).tuple())
                .replaceWithVoid();
    }

    private Uni<Void> insertConsents(SqlConnection conn, List<NewLead> created) {
        List<ConsentChange> changes = created.stream().flatMap(n -> n.consents().stream()).toList();
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(ConsentChangeRepository.INSERT_ALL).execute(ConsentChangeRepository.columns(changes))
                .replaceWithVoid();
    }

    /** Links the visitor ids no lead holds yet; answers the anonymous activity that became the new leads'. */
    private Uni<List<VisitorActivity>> linkVisitors(SqlConnection conn, List<NewLead> created) {
        List<NewLead> withVisitor = created.stream().filter(n -> n.visitorId() != null && !n.visitorId().isBlank()).toList();
        if (withVisitor.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<UUID, NewLead> byLead = new HashMap<>();
        withVisitor.forEach(n -> byLead.put(n.lead().id, n));
        Tuple links = Columns.of(withVisitor).text(NewLead::visitorId).uuid(n -> n.lead().id).time(n -> n.lead().createdAt)
                .text(NewLead::linkedBy).tuple();
        return conn.preparedQuery(INSERT_LINKS).execute(links).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(List.<VisitorActivity>of());
            }
            // the visitors this batch actually linked (an id some lead already held stays with that lead)
            List<NewLead> linked = new ArrayList<>();
            for (Row row : rows) {
                linked.add(byLead.get(row.getUUID("lead_id")));
            }
            return conn.preparedQuery(LINK_ACTIVITY)
                    .execute(Columns.of(linked).text(NewLead::visitorId).uuid(n -> n.lead().id).time(n -> n.lead().createdAt).tuple())
                    .map(activity -> {
                        List<VisitorActivity> list = new ArrayList<>();
                        for (Row row : activity) {
                            list.add(VisitorActivityRepository.activity(row));
                        }
                        return list;
                    });
        });
    }

    private Uni<Void> insertSpam(SqlConnection conn, List<Spam> spam) {
        if (spam.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(INSERT_SPAM)
                .execute(Columns.of(spam).uuid(x -> UUID.randomUUID()).uuid(Spam::formId).text(Spam::reason)
                        .time(Spam::receivedAt).tuple())
                .replaceWithVoid();
    }
}
