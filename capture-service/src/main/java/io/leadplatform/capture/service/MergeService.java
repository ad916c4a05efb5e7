package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.ConsentChange;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.domain.LeadMerge;
import io.leadplatform.capture.messaging.IdentityEvents;
import io.leadplatform.capture.messaging.LeadEvents;
import io.leadplatform.capture.repository.ConsentChangeRepository;
import io.leadplatform.capture.repository.LeadMergeRepository;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.capture.repository.VisitorActivityRepository;
import io.leadplatform.capture.repository.VisitorLinkRepository;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Use case: staff merge two leads they verified to be one person (an authenticated call is the
 * verified identity; public forms never merge). The survivor keeps the other's activity, visitor
 * ids, consents (per purpose the most recent record wins) and the profile fields it lacks; the
 * other is marked merged. Both leads as they were are kept in {@code lead_merge}, so the merge can
 * be undone while neither lead changed since.
 */
@ApplicationScoped
public class MergeService {

    private final LeadRepository leads;
    private final LeadMergeRepository merges;
    private final VisitorActivityRepository activities;
    private final VisitorLinkRepository links;
    private final ConsentChangeRepository consentChanges;
    private final LeadEvents leadEvents;
    private final IdentityEvents identityEvents;
    private final Pool pool;

    public MergeService(LeadRepository leads, LeadMergeRepository merges, VisitorActivityRepository activities,
                        VisitorLinkRepository links, ConsentChangeRepository consentChanges, LeadEvents leadEvents,
                        IdentityEvents identityEvents, Pool pool) {
        this.pool = pool;
        this.leads = leads;
        this.merges = merges;
        this.activities = activities;
        this.links = links;
        this.consentChanges = consentChanges;
        this.leadEvents = leadEvents;
        this.identityEvents = identityEvents;
    }

    public Uni<LeadMerge> merge(UUID survivorId, UUID otherId, String reason, String actor) {
        if (survivorId.equals(otherId)) {
            return Uni.createFrom().failure(ProblemException.invalid("otherLeadId", "must be another lead than the survivor"));
        }
        return pool.withTransaction(c -> leads.findById(c, survivorId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + survivorId))
                .chain(survivor -> leads.findById(c, otherId)
                        .onItem().ifNull().failWith(() -> ProblemException.invalid("otherLeadId", "no such lead"))
                        .chain(other -> {
                            requireActive(survivor);
                            requireActive(other);
                            return merge(c, survivor, other, reason, actor);
                        })));
    }

    private Uni<LeadMerge> merge(SqlClient c, Lead survivor, Lead other, String reason, String actor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LeadMerge merge = new LeadMerge();
        merge.id = UUID.randomUUID();
        merge.survivorId = survivor.id;
        merge.mergedId = other.id;
        merge.reason = reason;
        merge.mergedBy = actor;
        merge.mergedAt = now;
        merge.survivorSnapshot = LeadMerge.LeadSnapshot.of(survivor);
        merge.mergedSnapshot = LeadMerge.LeadSnapshot.of(other);

        List<ConsentChange> taken = new ArrayList<>();
        survivor.consents = mergeConsents(survivor, other, merge.id, now, taken);
        fillMissing(survivor, other);
        survivor.updatedAt = now;
        other.mergedInto = survivor.id;
        other.updatedAt = now;

        return activities.move(c, other.id, survivor.id)
                .invoke(merge.movedActivityIds::addAll)
                .chain(() -> links.move(c, other.id, survivor.id))
                .invoke(merge.movedVisitorIds::addAll)
                .chain(() -> leads.update(c, survivor))
                .chain(() -> leads.update(c, other))
                .chain(() -> merges.insert(c, merge))
                .chain(() -> consentChanges.insertAll(c, taken))
                .chain(() -> leadEvents.updated(c, survivor))
                .chain(() -> identityEvents.merged(c, merge))
                .replaceWith(merge);
    }

    public Uni<LeadMerge> undo(UUID mergeId, String actor) {
        return pool.withTransaction(c -> merges.findById(c, mergeId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no merge " + mergeId))
                .chain(merge -> {
                    if (merge.undoneAt != null) {
                        return Uni.createFrom().failure(ProblemException.conflict("the merge was already undone"));
                    }
                    if (merge.survivorSnapshot == null || merge.mergedSnapshot == null) {
                        return Uni.createFrom().failure(ProblemException.conflict("a lead of this merge was erased; it cannot be undone"));
                    }
                    return leads.findById(c, merge.survivorId).chain(survivor -> leads.findById(c, merge.mergedId)
                            .chain(other -> undo(c, merge, survivor, other, actor)));
                }));
    }

    private Uni<LeadMerge> undo(SqlClient c, LeadMerge merge, Lead survivor, Lead other, String actor) {
        if (!merge.mergedAt.equals(survivor.updatedAt) || !merge.mergedAt.equals(other.updatedAt)) {
            return Uni.createFrom().failure(ProblemException.conflict(
                    "a lead changed since the merge; undoing it would lose those changes"));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        merge.survivorSnapshot.restoreInto(survivor);
        merge.mergedSnapshot.restoreInto(other);
        survivor.updatedAt = now;
        other.updatedAt = now;
        merge.undoneAt = now;
        merge.undoneBy = actor;
        return activities.moveBack(c, survivor.id, other.id, merge.movedActivityIds, merge.movedVisitorIds)
                .chain(() -> links.moveBack(c, survivor.id, other.id, merge.movedVisitorIds))
                .chain(() -> leads.update(c, survivor))
                .chain(() -> leads.update(c, other))
                .chain(() -> merges.markUndone(c, merge))
                .chain(() -> leadEvents.updated(c, survivor))
                .chain(() -> leadEvents.updated(c, other))
                .chain(() -> identityEvents.mergeUndone(c, merge))
                .replaceWith(merge);
    }

    private static void requireActive(Lead lead) {
        if (lead.erasedAt != null) {
            throw ProblemException.conflict("lead " + lead.id + " was erased");
        }
        if (lead.mergedInto != null) {
            throw ProblemException.conflict("lead " + lead.id + " was already merged into " + lead.mergedInto);
        }
    }

    /** Per purpose the most recent record wins: a later withdrawal is never overridden by an older grant. */
    private static List<Lead.Consent> mergeConsents(Lead survivor, Lead other, UUID mergeId, Instant now,
                                                    List<ConsentChange> taken) {
        Map<String, Lead.Consent> byPurpose = new LinkedHashMap<>();
        survivor.consents.forEach(c -> byPurpose.put(c.purpose(), c));
        for (Lead.Consent c : other.consents) {
            Lead.Consent mine = byPurpose.get(c.purpose());
            if (mine == null || (c.recordedAt() != null && (mine.recordedAt() == null || c.recordedAt().isAfter(mine.recordedAt())))) {
                byPurpose.put(c.purpose(), c);
                ConsentChange change = ConsentChange.of(survivor.id, c);
                change.recordedAt = now;
                change.source = "merge:" + mergeId + " (" + c.source() + ")";
                taken.add(change);
            }
        }
        return new ArrayList<>(byPurpose.values());
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static void fillMissing(Lead survivor, Lead other) {
        survivor.firstName = orElse(survivor.firstName, other.firstName);
        survivor.lastName = orElse(survivor.lastName, other.lastName);
        survivor.company = orElse(survivor.company, other.company);
        survivor.jobTitle = orElse(survivor.jobTitle, other.jobTitle);
        survivor.phone = orElse(survivor.phone, other.phone);
        survivor.country = orElse(survivor.country, other.country);
        survivor.timeZone = orElse(survivor.timeZone, other.timeZone);
        if (survivor.utm.isEmpty() && !other.utm.isEmpty()) {
            survivor.utm = new LinkedHashMap<>(other.utm);
        }
        Map<String, Object> fields = new LinkedHashMap<>(other.fields);
        fields.putAll(survivor.fields);
        survivor.fields = fields;
    }
}
