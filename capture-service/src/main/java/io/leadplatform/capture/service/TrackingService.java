package io.leadplatform.capture.service;

import io.leadplatform.capture.config.TrackingConfig;
import io.leadplatform.capture.domain.VisitChannel;
import io.leadplatform.capture.domain.VisitorActivity;
import io.leadplatform.capture.domain.WebsiteVisit;
import io.leadplatform.capture.messaging.IdentityEvents;
import io.leadplatform.capture.repository.TrackingWriter;
import io.leadplatform.capture.repository.VisitorActivityRepository;
import io.leadplatform.capture.repository.VisitorLinkRepository;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.common.outbox.OutboxTracing;
import io.leadplatform.common.persistence.GroupCommit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.leadplatform.capture.messaging.TransactionOutbox;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Use case: the tracker posts a batch of website events. Every event is kept per visitor id; the events
 * of a visitor already linked to a lead are linked and emitted as {@code lead.activity}, and every page
 * view of any visitor, anonymous or known, is emitted as {@code website.activity} (no personal data) with
 * its session and channel. Requests are group-committed by {@link TrackingWriter} (many per transaction).
 */
@ApplicationScoped
public class TrackingService {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final VisitorActivityRepository activities;
    private final VisitorLinkRepository links;
    private final IdentityEvents events;
    private final TransactionOutbox outbox;
    private final Set<String> partnerHosts;
    private final GroupCommit<TrackingWriter.Batch, Integer> writes;

    public TrackingService(VisitorActivityRepository activities, VisitorLinkRepository links, IdentityEvents events,
                           TrackingWriter writer, TrackingConfig config, TransactionOutbox outbox) {
        this.outbox = outbox;
        this.activities = activities;
        this.links = links;
        this.events = events;
        this.partnerHosts = Set.copyOf(config.partnerHosts().orElse(List.of()));
        this.writes = new GroupCommit<>(writer::write, config.writes().maxBatch(), config.writes().maxInFlight());
    }

    /** Records a validated batch of one request; answers how many events were recorded. */
    public Uni<Integer> track(List<TrackBatch.TrackEvent> batch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<TrackingWriter.Tracked> tracked = new ArrayList<>(batch.size());
        for (TrackBatch.TrackEvent e : batch) {
            VisitorActivity a = new VisitorActivity();
            a.id = UUID.randomUUID();
            a.visitorId = e.visitorId();
            a.activityType = e.type();
            a.url = e.url();
            a.asset = e.asset();
            a.durationSeconds = e.durationSeconds();
            a.occurredAt = e.occurredAt() != null ? e.occurredAt().truncatedTo(ChronoUnit.MICROS) : now;
            a.receivedAt = now;
            tracked.add(new TrackingWriter.Tracked(a, "page_view".equals(e.type()) ? visitOf(e, a) : null));
        }
        // the request's trace context, for events written by whichever request flushes the batch
        OutboxEvent trace = new OutboxEvent();
        OutboxTracing.capture(trace);
        return writes.submit(new TrackingWriter.Batch(tracked, trace, events::activityEvent, events::websiteActivityEvent));
    }

    /** The visit a page view belongs to; its channel follows from how the session landed (VisitChannel). */
    WebsiteVisit visitOf(TrackBatch.TrackEvent e, VisitorActivity a) {
        String[] hostAndPath = WebsiteVisit.hostAndPath(e.url());
        String referrerHost = WebsiteVisit.referrerHost(e.referrer());
        Map<String, String> utm = new LinkedHashMap<>();
        if (e.utm() != null) {
            put(utm, "source", e.utm().source());
            put(utm, "medium", e.utm().medium());
            put(utm, "campaign", e.utm().campaign());
            put(utm, "term", e.utm().term());
            put(utm, "content", e.utm().content());
        }
        VisitChannel channel = VisitChannel.classify(utm, e.clickId(), referrerHost, hostAndPath[0], partnerHosts);
        boolean hasSession = e.sessionId() != null && !e.sessionId().isBlank();
        // without a session id (an API caller, an older snippet): one session per visitor and UTC day
        String sessionId = hasSession ? e.sessionId() : a.visitorId + "-" + DAY.format(a.occurredAt);
        return new WebsiteVisit(sessionId, Boolean.TRUE.equals(e.sessionStart()), hostAndPath[0], hostAndPath[1],
                referrerHost, utm, channel);
    }

    private static void put(Map<String, String> utm, String key, String value) {
        if (value != null && !value.isBlank()) {
            utm.put(key, value.trim());
        }
    }

    /**
     * Called inside a form submission's transaction: the first submission that carries a visitor id
     * links it to the lead, and the visitor's anonymous activity becomes the lead's (emitted as
     * {@code lead.activity}). A visitor id that already belongs to a lead is never moved: a public
     * form is an unverified claim, and merging needs a verified identity.
     */
    public Uni<Void> linkVisitor(SqlClient c, UUID leadId, String visitorId, String linkedBy, Instant now) {
        if (visitorId == null || visitorId.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return links.link(c, visitorId, leadId, now, linkedBy).chain(linked -> !linked
                ? Uni.createFrom().voidItem()
                : activities.linkAnonymous(c, visitorId, leadId, now)
                        .chain(anonymous -> outbox.addAll(c, anonymous.stream().map(events::activityEvent).toList())));
    }
}
