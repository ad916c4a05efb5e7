package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.messaging.IdentityEvents;
import io.leadplatform.capture.repository.FormSubmissionRepository;
import io.leadplatform.capture.repository.LeadMergeRepository;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.capture.repository.VisitorActivityRepository;
import io.leadplatform.capture.repository.VisitorLinkRepository;
import io.leadplatform.common.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.UUID;

/**
 * Use case: GDPR erasure (admin). Personal data is removed or anonymised, aggregates stay: the lead
 * row keeps its id, source, channel, campaign, UTM, country and dates, so KPIs do not change. The
 * e-mail becomes an irreversible hash placeholder; names, company, job title, phone, time zone, fields and
 * consents are cleared; submissions lose their payload and visitor id; the visitor's activity is
 * unlinked and its visitor id replaced by a random one; merge snapshots are dropped; already
 * published outbox rows of the lead are deleted. {@code lead.erased} tells the other services.
 * One transaction. Erasing an erased lead changes nothing and emits nothing (idempotent).
 */
@ApplicationScoped
public class ErasureService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final LeadRepository leads;
    private final FormSubmissionRepository submissions;
    private final VisitorActivityRepository activities;
    private final VisitorLinkRepository links;
    private final LeadMergeRepository merges;
    private final IdentityEvents events;

    public ErasureService(LeadRepository leads, FormSubmissionRepository submissions, VisitorActivityRepository activities,
                          VisitorLinkRepository links, LeadMergeRepository merges, IdentityEvents events) {
        this.leads = leads;
        this.submissions = submissions;
        this.activities = activities;
        this.links = links;
        this.merges = merges;
        this.events = events;
    }

    /** Answers true when the lead was erased now, false when it had been erased before. */
    @WithTransaction
    public Uni<Boolean> erase(UUID leadId) {
        return leads.findById(leadId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + leadId))
                .chain(lead -> lead.erasedAt != null ? Uni.createFrom().item(false) : erase(lead).replaceWith(true));
    }

    private Uni<Void> erase(Lead lead) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String anonymousVisitor = "erased:" + UUID.randomUUID();
        lead.email = placeholder(lead);
        lead.firstName = null;
        lead.lastName = null;
        lead.company = null;
        lead.jobTitle = null;
        lead.phone = null;
        lead.timeZone = null;
        lead.fields = new LinkedHashMap<>();
        lead.consents = new ArrayList<>();
        lead.erasedAt = now;
        lead.updatedAt = now;
        return submissions.ofLead(lead.id, 0)
                .invoke(list -> list.forEach(s -> {
                    s.payload = new LinkedHashMap<>();
                    s.visitorId = null;
                }))
                .chain(() -> activities.ofLead(lead.id, 0))
                .invoke(list -> list.forEach(a -> {
                    a.leadId = null;
                    a.linkedAt = null;
                    a.visitorId = anonymousVisitor;
                }))
                .chain(() -> links.delete("leadId", lead.id))
                .chain(() -> merges.involving(lead.id))
                .invoke(list -> list.forEach(m -> {
                    m.survivorSnapshot = null;
                    m.mergedSnapshot = null;
                }))
                // no outbox clean-up: the relay deletes events as soon as Kafka acknowledged them
                .chain(() -> events.erased(lead.id, now))
                .replaceWithVoid();
    }

    /**
     * erased+&lt;sha-256&gt;@erased.invalid over a random salt that is never stored, the lead id and the
     * e-mail: unique, and no dictionary of addresses can reverse it.
     */
    static String placeholder(Lead lead) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            sha.update(salt);
            byte[] digest = sha.digest((lead.id + ":" + lead.email.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return "erased+" + HexFormat.of().formatHex(digest) + "@erased.invalid";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
