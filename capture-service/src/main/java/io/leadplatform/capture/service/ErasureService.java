package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.messaging.IdentityEvents;
import io.leadplatform.capture.repository.FormSubmissionRepository;
import io.leadplatform.capture.repository.LeadMergeRepository;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.capture.repository.VisitorActivityRepository;
import io.leadplatform.capture.repository.VisitorLinkRepository;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
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
    private final Pool pool;

    public ErasureService(LeadRepository leads, FormSubmissionRepository submissions, VisitorActivityRepository activities,
                          VisitorLinkRepository links, LeadMergeRepository merges, IdentityEvents events, Pool pool) {
        this.pool = pool;
        this.leads = leads;
        this.submissions = submissions;
        this.activities = activities;
        this.links = links;
        this.merges = merges;
        this.events = events;
    }

    /** Answers true when the lead was erased now, false when it had been erased before. */
    public Uni<Boolean> erase(UUID leadId) {
        return pool.withTransaction(c -> leads.findById(c, leadId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + leadId))
                .chain(lead -> lead.erasedAt != null ? Uni.createFrom().item(false) : erase(c, lead).replaceWith(true)));
    }

    private Uni<Void> erase(SqlClient c, Lead lead) {
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
        return leads.update(c, lead)
                .chain(() -> submissions.erase(c, lead.id))
                .chain(() -> activities.erase(c, lead.id, anonymousVisitor))
                .chain(() -> links.deleteOfLead(c, lead.id))
                .chain(() -> merges.dropSnapshots(c, lead.id))
                // no outbox clean-up: the relay deletes events as soon as Kafka acknowledged them
                .chain(() -> events.erased(c, lead.id, now))
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
