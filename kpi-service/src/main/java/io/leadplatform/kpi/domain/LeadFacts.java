package io.leadplatform.kpi.domain;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What kpi-service knows of one lead, each field a deterministic function of the set of events seen (first
 * capture wins, stage times are the earliest, the merge state is that of the latest merge event), so the
 * order in which events arrive does not matter.
 */
public final class LeadFacts {

    public final UUID leadId;
    public Instant capturedAt;
    public Dims dims = Dims.NONE;
    public boolean member;
    public Instant subscribedAt;
    public final Map<Stage, Instant> reached = new EnumMap<>(Stage.class);
    public Instant hardBouncedAt;
    public UUID survivorId;
    public Instant mergeChangedAt;
    public Instant erasedAt;

    public LeadFacts(UUID leadId) {
        this.leadId = leadId;
    }

    public LeadFacts copy() {
        LeadFacts c = new LeadFacts(leadId);
        c.capturedAt = capturedAt;
        c.dims = dims;
        c.member = member;
        c.subscribedAt = subscribedAt;
        c.reached.putAll(reached);
        c.hardBouncedAt = hardBouncedAt;
        c.survivorId = survivorId;
        c.mergeChangedAt = mergeChangedAt;
        c.erasedAt = erasedAt;
        return c;
    }

    /** lead.captured / lead.updated: the earliest capture gives the dimensions; subscription at its earliest grant. */
    public void captured(Instant at, Dims captureDims, boolean isMember, Instant subscribed) {
        if (capturedAt == null || at.isBefore(capturedAt)) {
            capturedAt = at;
            dims = captureDims;
            member = isMember;
        }
        subscribedAt = earliest(subscribedAt, subscribed);
    }

    public void reached(Stage stage, Instant at) {
        reached.merge(stage, at, LeadFacts::earliest);
    }

    public void hardBounced(Instant at) {
        hardBouncedAt = earliest(hardBouncedAt, at);
    }

    /** lead.merged: the latest merge event decides (ties: the merge wins over its undo). */
    public void merged(UUID survivor, boolean undone, Instant at) {
        if (mergeChangedAt == null || at.isAfter(mergeChangedAt) || (at.equals(mergeChangedAt) && !undone)) {
            mergeChangedAt = at;
            survivorId = undone ? null : survivor;
        }
    }

    public void erased(Instant at) {
        erasedAt = earliest(erasedAt, at);
    }

    public static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeadFacts f && leadId.equals(f.leadId) && Objects.equals(capturedAt, f.capturedAt) && dims.equals(f.dims)
                && member == f.member && Objects.equals(subscribedAt, f.subscribedAt) && reached.equals(f.reached)
                && Objects.equals(hardBouncedAt, f.hardBouncedAt) && Objects.equals(survivorId, f.survivorId)
                && Objects.equals(mergeChangedAt, f.mergeChangedAt) && Objects.equals(erasedAt, f.erasedAt);
    }

    @Override
    public int hashCode() {
        return leadId.hashCode();
    }
}
