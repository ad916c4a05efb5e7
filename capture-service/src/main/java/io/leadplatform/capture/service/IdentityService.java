package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.ConsentChange;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.repository.ConsentChangeRepository;
import io.leadplatform.capture.repository.LeadRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * What a form submission adds to a lead's identity and consent record, inside the submission's
 * transaction: the consents it recorded enter the consent history, and its visitor id is linked
 * (see {@link TrackingService#linkVisitor}).
 */
@ApplicationScoped
public class IdentityService {

    /** Merges are never chained deeper than this in practice; a longer chain means corrupt data. */
    private static final int MAX_MERGE_HOPS = 20;

    private final LeadRepository leads;
    private final ConsentChangeRepository consentChanges;
    private final TrackingService tracking;

    public IdentityService(LeadRepository leads, ConsentChangeRepository consentChanges, TrackingService tracking) {
        this.leads = leads;
        this.consentChanges = consentChanges;
        this.tracking = tracking;
    }

    /**
     * The lead that now stands for the given one: a lead merged into another is represented by the
     * survivor (following merges of merges), so a later submission with the merged lead's e-mail
     * updates the survivor. Null stays null.
     */
    public Uni<Lead> survivorOf(SqlClient c, Lead lead) {
        return survivorOf(c, lead, 0);
    }

    private Uni<Lead> survivorOf(SqlClient c, Lead lead, int hops) {
        if (lead == null || lead.mergedInto == null) {
            return Uni.createFrom().item(lead);
        }
        if (hops >= MAX_MERGE_HOPS) {
            return Uni.createFrom().failure(new IllegalStateException("merge chain of lead " + lead.id + " is too long"));
        }
        return leads.findById(c, lead.mergedInto).chain(next -> next == null ? Uni.createFrom().item(lead) : survivorOf(c, next, hops + 1));
    }

    /** @param source what the submission came through, e.g. {@code form:contact}; consents recorded now with it are logged */
    public Uni<Void> afterSubmission(SqlClient c, Lead lead, String source, String visitorId, Instant now) {
        List<ConsentChange> recorded = lead.consents.stream()
                .filter(x -> now.equals(x.recordedAt()) && source.equals(x.source()))
                .map(x -> ConsentChange.of(lead.id, x))
                .toList();
        return consentChanges.insertAll(c, recorded).chain(() -> tracking.linkVisitor(c, lead.id, visitorId, source, now));
    }
}
