package io.leadplatform.nurturing.service;

import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.config.NurturingConfig;
import io.leadplatform.nurturing.domain.Mail;
import io.leadplatform.nurturing.messaging.EmailEvents;
import io.leadplatform.nurturing.repository.ContactRepository;
import io.leadplatform.nurturing.repository.MailRepository;
import io.leadplatform.nurturing.service.engine.EngagementClassifier;
import io.leadplatform.nurturing.service.engine.EngagementClassifier.Verdict;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The public side of a sent mail: open pixel, click redirect, unsubscribe. Every token is signed (see
 * {@link io.leadplatform.nurturing.service.engine.LinkSigner}); an unsigned or altered one is a 400.
 */
@ApplicationScoped
public class TrackingService {

    private final Pool pool;
    private final MailRepository mails;
    private final ContactRepository contacts;
    private final EnrollmentService enrollment;
    private final EmailEvents events;
    private final Renderer renderer;
    private final EngagementClassifier classifier;
    private final NurturingConfig config;

    public TrackingService(Pool pool, MailRepository mails, ContactRepository contacts, EnrollmentService enrollment, EmailEvents events,
                           Renderer renderer, NurturingConfig config) {
        this.pool = pool;
        this.mails = mails;
        this.contacts = contacts;
        this.enrollment = enrollment;
        this.events = events;
        this.renderer = renderer;
        this.config = config;
        NurturingConfig.Tracking t = config.tracking();
        this.classifier = new EngagementClassifier(t.scannerAgents(), t.proxyAgents(), t.proxyNetworks(), t.minHumanDelay(), t.burstLinks());
    }

    /** Who asked: HTTP method, user agent, client address. */
    public record Request(String method, String userAgent, String remoteAddress) {
    }

    /** A verified click: where to redirect. */
    public record Click(String target, Verdict verdict) {
    }

    /** An open: the pixel is served whatever the classification; answers it (null when the mail is unknown). */
    public Uni<Verdict> open(String token, Request request) {
        String payload = verified(token, "o:");
        UUID emailId = uuid(payload.substring(2));
        return record(emailId, EmailEvents.OPENED, null, null, request);
    }

    public Uni<Click> click(String token, Request request) {
        String payload = verified(token, "c:");
        String[] parts = payload.split(":", 4);
        if (parts.length != 4) {
            throw bad();
        }
        UUID emailId = uuid(parts[1]);
        String link = parts[2];
        String target = parts[3];
        return record(emailId, EmailEvents.CLICKED, link, target, request).map(v -> new Click(target, v));
    }

    private Uni<Verdict> record(UUID emailId, String kind, String link, String url, Request request) {
        Instant now = Instant.now();
        return pool.withTransaction(c -> mails.find(c, emailId).chain(mail -> {
            if (mail == null || mail.leadId() == null) {
                return Uni.createFrom().nullItem();
            }
            Uni<Integer> recent = EmailEvents.CLICKED.equals(kind)
                    ? mails.linksClickedSince(c, emailId, link, now.minus(config.tracking().burstWindow()))
                    : Uni.createFrom().item(0);
            return recent.chain(n -> {
                Duration since = mail.sentAt() == null ? Duration.ZERO : Duration.between(mail.sentAt(), now);
                Verdict v = classifier.classify(new EngagementClassifier.Hit(EmailEvents.CLICKED.equals(kind), request.method(),
                        request.userAgent(), request.remoteAddress(), since, "trap".equals(link), n));
                return store(c, mail, kind, link, url, request, v, now)
                        .chain(() -> !v.bot() && EmailEvents.CLICKED.equals(kind) && mail.enrollmentId() != null
                                ? enrollment.onHumanClick(c, mail.enrollmentId())
                                : Uni.createFrom().item(false))
                        .replaceWith(v);
            });
        })).invoke(v -> {
            if (v != null) {
                events.committed();
            }
        });
    }

    private Uni<Void> store(SqlConnection c, Mail mail, String kind, String link, String url, Request request, Verdict v, Instant now) {
        String agent = request.userAgent() == null ? null : request.userAgent().substring(0, Math.min(300, request.userAgent().length()));
        return mails.addEngagement(c, new MailRepository.Engagement(UUID.randomUUID(), mail.id(), mail.leadId(), kind, url, link,
                        v.classification(), v.reason(), request.method(), agent, now))
                .chain(() -> events.outbox().insertAll(c, List.of(events.event(mail, kind, now,
                        new EmailEvents.Detail(url, v.classification(), v.reason(), null)))));
    }

    /** Unsubscribes the lead of the mail at once (link or RFC 8058 one-click POST); answers false for a test mail. */
    public Uni<Boolean> unsubscribe(String token, String channel) {
        String payload = verified(token, "u:");
        UUID emailId = uuid(payload.substring(2));
        Instant now = Instant.now();
        return pool.withTransaction(c -> mails.find(c, emailId).chain(mail -> {
            if (mail == null) {
                return Uni.createFrom().failure(ProblemException.notFound("no such e-mail"));
            }
            if (mail.leadId() == null) {
                return Uni.createFrom().item(false);
            }
            return contacts.unsubscribe(c, mail.leadId()).chain(changed -> !changed ? Uni.createFrom().item(true)
                    : enrollment.exitAll(c, mail.leadId(), "unsubscribed (" + channel + ")")
                    .chain(() -> mails.suppressQueued(c, mail.leadId(), false, "unsubscribed"))
                    .chain(() -> events.outbox().insertAll(c, List.of(events.event(mail, EmailEvents.UNSUBSCRIBED, now,
                            new EmailEvents.Detail(null, null, channel, null)))))
                    .replaceWith(true));
        })).invoke(events::committed);
    }

    private String verified(String token, String prefix) {
        return renderer.signer().verify(token).filter(p -> p.startsWith(prefix)).orElseThrow(TrackingService::bad);
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw bad();
        }
    }

    private static ProblemException bad() {
        return new ProblemException(io.leadplatform.common.rest.Problem.of(400, "Invalid link", "the link is not signed by us or was altered"));
    }
}
