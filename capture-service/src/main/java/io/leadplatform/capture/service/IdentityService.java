package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.ConsentChange;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.repository.ConsentChangeRepository;
import io.smallrye.mutiny.Uni;
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

    private final ConsentChangeRepository consentChanges;
    private final TrackingService tracking;

    public IdentityService(ConsentChangeRepository consentChanges, TrackingService tracking) {
        this.consentChanges = consentChanges;
        this.tracking = tracking;
    }

    /** @param source what the submission came through, e.g. {@code form:contact}; consents recorded now with it are logged */
    public Uni<Void> afterSubmission(Lead lead, String source, String visitorId, Instant now) {
        List<ConsentChange> recorded = lead.consents.stream()
                .filter(c -> now.equals(c.recordedAt()) && source.equals(c.source()))
                .map(c -> ConsentChange.of(lead.id, c))
                .toList();
        Uni<Void> logged = recorded.isEmpty() ? Uni.createFrom().voidItem() : consentChanges.persist(recorded);
        return logged.chain(() -> tracking.linkVisitor(lead.id, visitorId, source, now));
    }
}
