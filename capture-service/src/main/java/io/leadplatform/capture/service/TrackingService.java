package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.VisitorActivity;
import io.leadplatform.capture.domain.VisitorLink;
import io.leadplatform.capture.messaging.IdentityEvents;
import io.leadplatform.capture.repository.VisitorActivityRepository;
import io.leadplatform.capture.repository.VisitorLinkRepository;
import io.leadplatform.capture.rest.TrackBatch;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Use case: the tracker posts a batch of website events. Activity of an anonymous visitor is kept
 * per visitor id; activity of a visitor already linked to a lead is linked and emitted as
 * {@code lead.activity} at once, in the same transaction.
 */
@ApplicationScoped
public class TrackingService {

    private final VisitorActivityRepository activities;
    private final VisitorLinkRepository links;
    private final IdentityEvents events;

    public TrackingService(VisitorActivityRepository activities, VisitorLinkRepository links, IdentityEvents events) {
        this.activities = activities;
        this.links = links;
        this.events = events;
    }

    @WithTransaction
    public Uni<Integer> track(List<TrackBatch.TrackEvent> batch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Set<String> visitorIds = batch.stream().map(TrackBatch.TrackEvent::visitorId).collect(Collectors.toSet());
        return links.byVisitorIds(visitorIds).chain(found -> {
            Map<String, UUID> leadOf = found.stream().collect(Collectors.toMap(l -> l.visitorId, l -> l.leadId));
            List<VisitorActivity> rows = new ArrayList<>(batch.size());
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
                a.leadId = leadOf.get(e.visitorId());
                a.linkedAt = a.leadId != null ? now : null;
                rows.add(a);
            }
            List<VisitorActivity> linked = rows.stream().filter(a -> a.leadId != null).toList();
            return activities.persist(rows)
                    .chain(() -> Sequential.each(linked, events::activity))
                    .replaceWith(rows.size());
        });
    }

    /**
     * Called inside a form submission's transaction: the first submission that carries a visitor id
     * links it to the lead, and the visitor's anonymous activity becomes the lead's (emitted as
     * {@code lead.activity}). A visitor id that already belongs to a lead is never moved: a public
     * form is an unverified claim, and merging needs a verified identity.
     */
    public Uni<Void> linkVisitor(UUID leadId, String visitorId, String linkedBy, Instant now) {
        if (visitorId == null || visitorId.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return links.findById(visitorId).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            VisitorLink link = new VisitorLink();
            link.visitorId = visitorId;
            link.leadId = leadId;
            link.linkedAt = now;
            link.linkedBy = linkedBy;
            return links.persist(link)
                    .chain(() -> activities.anonymousOf(visitorId))
                    .chain(anonymous -> Sequential.each(anonymous, a -> {
                        a.leadId = leadId;
                        a.linkedAt = now;
                        return events.activity(a);
                    }));
        });
    }
}
