package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.VisitorActivity;
import io.leadplatform.capture.domain.WebsiteVisit;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Writes tracking batches (one per tracking request) in one transaction with a fixed number of
 * statements, like {@link SubmissionWriter} does for form submissions: the visitor links of all their
 * visitors are read, every event becomes a {@code visitor_activity} row (linked to the lead when the
 * visitor is linked), and the outbox gets {@code lead.activity} for each event of a linked visitor and
 * {@code website.activity} for each page view of any visitor.
 */
@ApplicationScoped
public class TrackingWriter {

    /** One tracked event: its activity row (not persisted, lead not set) and, for a page view, the visit it belongs to. */
    public record Tracked(VisitorActivity activity, WebsiteVisit visit) {
    }

    /**
     * The events of one tracking request. {@code trace} carries the request's trace context (its events are
     * built in the context of whichever request flushed the batch); {@code activityEvent} builds
     * lead.activity of a linked activity, {@code websiteEvent} website.activity of a page view.
     */
    public record Batch(List<Tracked> events, OutboxEvent trace, Function<VisitorActivity, OutboxEvent> activityEvent,
                        BiFunction<VisitorActivity, WebsiteVisit, OutboxEvent> websiteEvent) {
    }

    private static final String LINKS = "select visitor_id, lead_id from visitor_link where visitor_id = any($1::text[])";

    private static final String INSERT_ACTIVITY = """
            insert into visitor_activity (id, visitor_id, lead_id, activity_type, url, asset, duration_seconds,
                                          occurred_at, received_at, linked_at)
            select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[],
                                 $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])""";

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;
    private final Outbox outbox;
    private final DistributionSummary batchSizes;

    public TrackingWriter(Pool pool, Outbox outbox, MeterRegistry registry) {
        this.pool = pool;
        this.outbox = outbox;
        this.batchSizes = DistributionSummary.builder("capture.tracking.batch.size")
                .description("Tracking requests written per transaction (group commit)")
                .register(registry);
    }

    /** Writes the batches in one transaction; answers the number of events recorded per batch, in order. */
    public Uni<List<Integer>> write(List<Batch> batches) {
        batchSizes.record(batches.size());
        List<VisitorActivity> rows = new ArrayList<>();
        Set<String> visitors = new LinkedHashSet<>();
        for (Batch b : batches) {
            for (Tracked t : b.events()) {
                rows.add(t.activity());
                visitors.add(t.activity().visitorId);
            }
        }
        return pool.withTransaction(conn -> conn.preparedQuery(LINKS).execute(Tuple.of(visitors.toArray(String[]::new)))
                        .chain(links -> {
                            Map<String, UUID> leadOf = new HashMap<>();
                            for (Row row : links) {
                                leadOf.put(row.getString("visitor_id"), row.getUUID("lead_id"));
                            }
                            for (VisitorActivity a : rows) {
                                a.leadId = leadOf.get(a.visitorId);
                                a.linkedAt = a.leadId != null ? a.receivedAt : null;
                            }
                            return insertActivity(conn, rows).chain(() -> outbox.insertAll(conn, events(batches)));
                        }))
                // a database that does not answer fails the batch instead of holding its callers forever
                .ifNoItem().after(WRITE_TIMEOUT).fail()
                .invoke(outbox::committed)
                .map(ignored -> batches.stream().map(b -> b.events().size()).toList());
    }

    private static List<OutboxEvent> events(List<Batch> batches) {
        List<OutboxEvent> events = new ArrayList<>();
        for (Batch b : batches) {
            for (Tracked t : b.events()) {
                if (t.activity().leadId != null) {
                    events.add(b.activityEvent().apply(t.activity()).inTraceOf(b.trace()));
                }
                if (t.visit() != null) {
                    events.add(b.websiteEvent().apply(t.activity(), t.visit()).inTraceOf(b.trace()));
                }
            }
        }
        return events;
    }

    private static Uni<Void> insertActivity(SqlConnection conn, List<VisitorActivity> rows) {
        return conn.preparedQuery(INSERT_ACTIVITY)
                .execute(Columns.of(rows).uuid(a -> a.id).text(a -> a.visitorId).uuid(a -> a.leadId).text(a -> a.activityType)
                        .text(a -> a.url).text(a -> a.asset).integer(a -> a.durationSeconds).time(a -> a.occurredAt)
                        .time(a -> a.receivedAt).time(a -> a.linkedAt).tuple())
                .replaceWithVoid();
    }
}
