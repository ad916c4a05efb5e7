package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.ConsentChange;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.messaging.LeadEvents;
import io.leadplatform.capture.repository.ConsentChangeRepository;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Use case: a consent is withdrawn. The withdrawal is recorded (purpose, the text version that was
 * granted, time, who) in the lead's consents and its consent history, and {@code lead.updated}
 * carries the consent with granted = false to the other services: one transaction.
 */
@ApplicationScoped
public class ConsentService {

    private final LeadRepository leads;
    private final ConsentChangeRepository consentChanges;
    private final LeadEvents events;
    private final Pool pool;

    public ConsentService(LeadRepository leads, ConsentChangeRepository consentChanges, LeadEvents events, Pool pool) {
        this.pool = pool;
        this.leads = leads;
        this.consentChanges = consentChanges;
        this.events = events;
    }

    /** Withdraws; a purpose never granted is recorded as refused. Already withdrawn: unchanged, no event. */
    public Uni<Lead> withdraw(UUID leadId, String purpose, String actor) {
        return pool.withTransaction(c -> leads.findById(c, leadId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + leadId))
                .chain(lead -> {
                    if (lead.erasedAt != null) {
                        return Uni.createFrom().failure(ProblemException.notFound("lead " + leadId + " was erased"));
                    }
                    Lead.Consent current = lead.consents.stream()
                            .filter(x -> Objects.equals(x.purpose(), purpose)).findFirst().orElse(null);
                    if (current != null && !current.granted()) {
                        return Uni.createFrom().item(lead);
                    }
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    Lead.Consent withdrawn = new Lead.Consent(purpose, false,
                            current != null ? current.textVersion() : null, now, "withdrawal:" + actor);
                    var consents = new ArrayList<>(lead.consents);
                    consents.removeIf(x -> Objects.equals(x.purpose(), purpose));
                    consents.add(withdrawn);
                    lead.consents = consents;
                    lead.updatedAt = now;
                    return leads.update(c, lead)
                            .chain(() -> consentChanges.insertAll(c, List.of(ConsentChange.of(lead.id, withdrawn))))
                            .chain(() -> events.updated(c, lead))
                            .replaceWith(lead);
                }));
    }
}
