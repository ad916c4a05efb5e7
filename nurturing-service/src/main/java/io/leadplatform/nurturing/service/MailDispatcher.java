package io.leadplatform.nurturing.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.nurturing.config.NurturingConfig;
import io.leadplatform.nurturing.domain.Contact;
import io.leadplatform.nurturing.domain.EmailTemplate;
import io.leadplatform.nurturing.domain.Enrollment;
import io.leadplatform.nurturing.domain.Mail;
import io.leadplatform.nurturing.messaging.EmailEvents;
import io.leadplatform.nurturing.messaging.EmailEvents.Detail;
import io.leadplatform.nurturing.repository.ContactRepository;
import io.leadplatform.nurturing.repository.EnrollmentRepository;
import io.leadplatform.nurturing.repository.EnrollmentRepository.NewEntry;
import io.leadplatform.nurturing.repository.MailRepository;
import io.leadplatform.nurturing.repository.MailRepository.Claimed;
import io.leadplatform.nurturing.repository.MailRepository.Outcome;
import io.leadplatform.nurturing.repository.TemplateRepository;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.SMTPException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Sends queued mails, exactly once per mail row:
 * <ol>
 * <li>claim a batch ({@code FOR UPDATE SKIP LOCKED}) and mark it {@code dispatching} with a lease: committed
 *     before any SMTP traffic, so every mail that may be on its way is marked;</li>
 * <li>check suppression at send time, render and send each over SMTP (Quarkus Mailer);</li>
 * <li>commit the outcomes (sent, bounced, retry) with their {@code email.event}s in the outbox, only for the
 *     mails this replica still holds.</li>
 * </ol>
 * A mail found in {@code dispatching} with an expired lease was claimed by a replica that died after step 1: it is
 * "in doubt" and never blindly resent: the SMTP server is asked whether it took the Message-ID
 * ({@link DeliveryLookup}); without an answer it becomes {@code unknown} (at most once). See the README.
 */
@ApplicationScoped
public class MailDispatcher {

    private static final Logger LOG = Logger.getLogger(MailDispatcher.class);
    private static final TypeReference<Map<String, String>> VARIABLES = new TypeReference<>() {
    };

    private final Pool pool;
    private final MailRepository mails;
    private final TemplateRepository templates;
    private final ContactRepository contacts;
    private final EnrollmentRepository enrollments;
    private final SuppressionService suppression;
    private final io.leadplatform.nurturing.repository.webhook.EspNotificationRepository esp;
    private final EmailEvents events;
    private final Renderer renderer;
    private final ReactiveMailer mailer;
    private final DeliveryLookup lookup;
    private final NurturingConfig config;
    private final ObjectMapper mapper;
    private final String owner;
    private final String domain;
    private final List<Loop> workers;
    private final int concurrency;

    public MailDispatcher(Pool pool, MailRepository mails, TemplateRepository templates, ContactRepository contacts,
                          EnrollmentRepository enrollments, SuppressionService suppression,
                          io.leadplatform.nurturing.repository.webhook.EspNotificationRepository esp, EmailEvents events, Renderer renderer,
                          ReactiveMailer mailer, DeliveryLookup lookup, NurturingConfig config, ObjectMapper mapper,
                          @ConfigProperty(name = "quarkus.mailer.from") String from,
                          @ConfigProperty(name = "quarkus.mailer.max-pool-size", defaultValue = "10") int poolSize) {
        // the workers share the mailer's connection pool: together they never have more sends in flight than it has
        // connections, so a send that starts is on the wire at once. A send left waiting in the pool for a connection
        // would keep waiting after its timeout had put the mail in doubt, and could go out after another replica had
        // looked the Message-ID up, not found it, and sent the mail (a duplicate).
        this.concurrency = Math.max(1, poolSize / Math.max(1, config.dispatch().workers()));
        this.pool = pool;
        this.mails = mails;
        this.templates = templates;
        this.contacts = contacts;
        this.enrollments = enrollments;
        this.suppression = suppression;
        this.esp = esp;
        this.events = events;
        this.renderer = renderer;
        this.mailer = mailer;
        this.lookup = lookup;
        this.config = config;
        this.mapper = mapper;
        this.owner = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.domain = from.substring(from.lastIndexOf('@') + 1).replace(">", "");
        this.workers = IntStream.range(0, config.dispatch().workers())
                .mapToObj(i -> new Loop("mail dispatcher " + i, this::round, config.dispatch().batchSize())).toList();
    }

    /** Who claims: this replica. */
    public String owner() {
        return owner;
    }

    /** The domain of generated Message-IDs. */
    public String messageDomain() {
        return domain;
    }

    @Scheduled(every = "${nurturing.scheduler.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = SequenceRunner.Disabled.class)
    void tick() {
        wakeUp();
    }

    public void wakeUp() {
        workers.forEach(Loop::wakeUp);
    }

    /**
     * One batch: answers how many mails it claimed. Each claim has its own token (replica + round), so a worker whose
     * batch outlived its lease cannot record outcomes over mails that another worker, even of this replica, took over.
     */
    public Uni<Integer> round() {
        String claim = owner + "/" + UUID.randomUUID().toString().substring(0, 8);
        return pool.withTransaction(c -> mails.claimDue(c, claim, config.dispatch().batchSize(), config.dispatch().lease(), config.dispatch().timeout()))
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(0) : dispatch(claim, claimed).replaceWith(claimed.size()));
    }

    /** What the dispatcher needs besides the mail rows. */
    private record Context(Map<String, EmailTemplate> templates, Map<UUID, Contact> contacts, Map<UUID, String> enrollments,
                           Map<String, String> espSuppressed) {
        /** The ESP's reason for never mailing this address (it may have been reported before the lead existed), or null. */
        String espReason(String address) {
            return address == null ? null : espSuppressed.get(address.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private Uni<Void> dispatch(String claim, List<Claimed> claimed) {
        Instant now = Instant.now();
        // a send must not start once another replica may have taken the mail over (its lease ran out): keep a margin
        Instant deadline = now.plus(config.dispatch().lease().multipliedBy(3).dividedBy(4));
        return pool.withConnection(c -> Uni.combine().all().unis(
                                templates.findAll(c, claimed.stream().map(m -> m.mail().templateId()).distinct().toArray(String[]::new)),
                                contacts.findAll(c, claimed.stream().map(m -> m.mail().leadId()).filter(java.util.Objects::nonNull).distinct().toArray(UUID[]::new)),
                                enrollments.statuses(c, claimed.stream().map(m -> m.mail().enrollmentId()).filter(java.util.Objects::nonNull).toArray(UUID[]::new)))
                        .asTuple()
                        .chain(t -> esp.suppressed(c, addresses(claimed, t.getItem2()))
                                .map(s -> new Context(t.getItem1(), t.getItem2(), t.getItem3(), s))))
                .chain(ctx -> io.smallrye.mutiny.Multi.createFrom().iterable(claimed)
                        // at most as many sends in flight as the mailer has connections: a send starts when it is subscribed
                        .onItem().transformToUni(m -> handle(m, ctx, now, deadline)).merge(concurrency)
                        .collect().asList()
                        .chain(results -> commit(claim, results.stream().map(Result::claimed).toList(), results, ctx)));
    }

    private static String[] addresses(List<Claimed> claimed, Map<UUID, Contact> contacts) {
        return claimed.stream().map(c -> address(c.mail(), c.mail().leadId() == null ? null : contacts.get(c.mail().leadId())))
                .filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
    }

    private static String address(Mail m, Contact contact) {
        return m.toAddress() != null ? m.toAddress() : contact == null ? null : contact.email();
    }

    /** The outcome of one mail and the events and history it causes. */
    private record Result(Claimed claimed, Outcome outcome, String event, Detail detail, String history, boolean hardBounce) {
    }

    private Uni<Result> handle(Claimed claimed, Context ctx, Instant now, Instant deadline) {
        return decide(claimed, ctx, now, deadline).map(r -> new Result(claimed, r.outcome(), r.event(), r.detail(), r.history(), r.hardBounce()));
    }

    private Uni<Result> decide(Claimed claimed, Context ctx, Instant now, Instant deadline) {
        if (Instant.now().isAfter(deadline)) {
            return Uni.createFrom().item(tooLate(claimed, "before sending"));
        }
        Mail m = claimed.mail();
        Contact contact = m.leadId() == null ? null : ctx.contacts().get(m.leadId());
        String address = address(m, contact);
        if (claimed.inDoubt()) {
            return lookup.accepted(address, m.messageId()).chain(found -> {
                if (found.isEmpty()) {
                    return Uni.createFrom().item(new Result(null, new Outcome(m.id(), Mail.UNKNOWN, null,
                            "in doubt: a replica died while sending; not resent", null), null, null, "in doubt, not resent", false));
                }
                if (found.get()) {
                    return Uni.createFrom().item(sent(m, now, "found at the SMTP server after a replica died; not resent"));
                }
                if (Instant.now().isAfter(deadline)) {
                    // the lookup took the time: a send now could still be on the wire when another replica takes it over
                    return Uni.createFrom().item(tooLate(claimed, "after the lookup"));
                }
                return send(m, contact, address, ctx, now);
            });
        }
        return send(m, contact, address, ctx, now);
    }

    /**
     * The outcome of a mail whose claim is too near its end to send safely. A mail that was queued goes back to the
     * queue (no SMTP traffic happened in this claim). A mail that was in doubt stays in doubt: it may have been sent
     * by the claim before, so whoever takes it next must look it up again; put back as queued it would be sent
     * blindly (the fault suite saw 366 mails sent twice that way after a PostgreSQL outage).
     */
    private static Result tooLate(Claimed claimed, String when) {
        Mail m = claimed.mail();
        if (claimed.inDoubt()) {
            String why = "in doubt: lease nearly over " + when + "; looked up again by the next claim";
            return new Result(null, new Outcome(m.id(), Mail.DISPATCHING, null, why, null), null, null, why, false);
        }
        return retry(m, Instant.now(), "lease nearly over " + when);
    }

    /** The state a mail is left in when its claim is too near its end to send (see {@link #tooLate}). */
    static String stateWhenTooLate(Claimed claimed) {
        return tooLate(claimed, "before sending").outcome().state();
    }

    private Uni<Result> send(Mail m, Contact contact, String address, Context ctx, Instant now) {
        String block = block(m, contact, address, ctx);
        if (block != null) {
            return Uni.createFrom().item(new Result(null, new Outcome(m.id(), Mail.SUPPRESSED, null, block, null), null, null,
                    "suppressed at send time: " + block, false));
        }
        EmailTemplate template = ctx.templates().get(m.templateId());
        io.quarkus.mailer.Mail mail;
        try {
            Map<String, String> variables = m.variables() == null ? Map.of() : mapper.readValue(m.variables(), VARIABLES);
            Contact data = Mail.TEST.equals(m.kind()) ? TemplateService.sample() : contact;
            Renderer.Rendered r = renderer.renderTracked(template, data, variables, m.id());
            mail = io.quarkus.mailer.Mail.withHtml(address, r.subject(), r.html()).setText(r.text())
                    .addHeader("Message-ID", m.messageId())
                    .addHeader("X-Leads-Email-Id", m.id().toString())
                    .addHeader("X-Leads-Category", m.transactional() ? "transactional" : "marketing");
            if (!m.transactional()) {
                // RFC 2369 + RFC 8058: one-click unsubscribe by the mailbox provider, no login
                mail.addHeader("List-Unsubscribe", "<" + renderer.unsubscribeUrl(m.id()) + ">")
                        .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
        } catch (RuntimeException | java.io.IOException e) {
            LOG.warnf("mail %s cannot be rendered: %s", m.id(), e.toString());
            return Uni.createFrom().item(new Result(null, new Outcome(m.id(), "failed", null, "render failed: " + e.getMessage(), null),
                    null, null, "render failed: " + e.getMessage(), false));
        }
        return mailer.send(mail).ifNoItem().after(config.dispatch().timeout()).fail()
                .replaceWith(() -> sent(m, Instant.now(), "SMTP accepted " + m.messageId()))
                .onFailure().recoverWithItem(e -> failed(m, e));
    }

    /** Suppression at send time: why this mail must not go out, or null. */
    private static String block(Mail m, Contact contact, String address, Context ctx) {
        if (Mail.TEST.equals(m.kind())) {
            return address == null ? "no address" : null;
        }
        if (contact == null) {
            return "unknown lead";
        }
        // an enrollment that completed still sends its last mail; one that exited (unsubscribed, SQL, goal …) does not
        if (m.enrollmentId() != null && Enrollment.EXITED.equals(ctx.enrollments().get(m.enrollmentId()))) {
            return "enrollment exited";
        }
        if (ctx.templates().get(m.templateId()) == null) {
            return "template " + m.templateId() + " missing";
        }
        String reported = ctx.espReason(address);
        if (reported != null) {
            return "address reported by the e-mail provider: " + reported;
        }
        return m.transactional() ? contact.transactionalBlock() : contact.marketingBlock();
    }

    private Result sent(Mail m, Instant at, String why) {
        return new Result(null, new Outcome(m.id(), Mail.SENT, null, null, at), EmailEvents.SENT, new Detail(null, null, why, null),
                "sent: " + why, false);
    }

    /** SMTP 5xx: hard bounce. 4xx: retried with backoff, then a soft bounce. No answer at all: retried (our side). */
    private Result failed(Mail m, Throwable e) {
        SMTPException smtp = smtpCause(e);
        Instant now = Instant.now();
        if (smtp != null && smtp.isPermanent()) {
            String reply = smtp.getReplyCode() + " " + smtp.getReplyMessage();
            return new Result(null, new Outcome(m.id(), Mail.BOUNCED, null, reply, null), EmailEvents.BOUNCED,
                    new Detail(null, null, reply, "hard"), "hard bounce: " + reply, m.leadId() != null);
        }
        long factor = 1L << Math.min(m.attempts() - 1, 10);
        Duration backoff = config.dispatch().retryBackoff().multipliedBy(factor);
        if (smtp != null) {
            String reply = smtp.getReplyCode() + " " + smtp.getReplyMessage();
            if (m.attempts() >= config.dispatch().maxAttempts()) {
                return new Result(null, new Outcome(m.id(), Mail.BOUNCED, null, reply, null), EmailEvents.BOUNCED,
                        new Detail(null, null, reply + " (after " + m.attempts() + " attempts)", "soft"),
                        "soft bounce after " + m.attempts() + " attempts: " + reply, false);
            }
            return retry(m, now.plus(backoff), reply);
        }
        if (timedOut(e)) {
            // no answer within the timeout: the server may still have taken the message. Resending blindly could deliver it
            // twice, so it stays in doubt and is resolved like a dead replica's mail (Message-ID lookup) after the grace
            return new Result(null, new Outcome(m.id(), Mail.DISPATCHING, null, "SMTP timeout: in doubt", null), null, null,
                    "in doubt: no SMTP answer within " + config.dispatch().timeout(), false);
        }
        Duration capped = backoff.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : backoff;
        return retry(m, now.plus(capped), "no SMTP answer: " + e);
    }

    private static Result retry(Mail m, Instant due, String why) {
        return new Result(null, new Outcome(m.id(), Mail.QUEUED, due, why, null), null, null, "retry at " + due + ": " + why, false);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.smallrye.mutiny.TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    static SMTPException smtpCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SMTPException s) {
                return s;
            }
        }
        return null;
    }

    private Uni<Void> commit(String claim, List<Claimed> claimed, List<Result> results, Context ctx) {
        Instant now = Instant.now();
        return pool.withTransaction(c -> mails.finish(c, claim, results.stream().map(Result::outcome).toList())
                        .chain(held -> effects(c, claimed, results, Set.copyOf(held), now)))
                .invoke(events::committed)
                .onFailure().invoke(e -> LOG.warnf("outcomes of %d mails not recorded (%s): their lease expires and they are in doubt",
                        claimed.size(), e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> effects(SqlConnection c, List<Claimed> claimed, List<Result> results, Set<UUID> held, Instant now) {
        List<OutboxEvent> out = new ArrayList<>();
        List<NewEntry> history = new ArrayList<>();
        Set<UUID> hardBounced = new HashSet<>();
        for (int i = 0; i < claimed.size(); i++) {
            Mail m = claimed.get(i).mail();
            Result r = results.get(i);
            if (!held.contains(m.id())) {
                continue; // our lease expired and another replica took the mail over: it decides
            }
            if (m.enrollmentId() != null) {
                history.add(new NewEntry(m.enrollmentId(), m.stepId(), historyAction(r), r.history(), now));
            }
            if (r.event() != null && m.leadId() != null) {
                out.add(events.event(m, r.event(), now, r.detail()));
                if (EmailEvents.SENT.equals(r.event()) && config.dispatch().finalHop()) {
                    out.add(events.event(m, EmailEvents.DELIVERED, now, new Detail(null, null,
                            "accepted by the receiving SMTP server (final hop)", null)));
                }
            }
            if (r.hardBounce()) {
                hardBounced.add(m.leadId());
            }
        }
        Uni<Void> work = events.outbox().insertAll(c, out).chain(() -> enrollments.addHistory(c, history));
        for (UUID lead : hardBounced) {
            work = work.chain(() -> suppression.suppress(c, lead, SuppressionService.Reason.HARD_BOUNCE));
        }
        return work;
    }

    private static String historyAction(Result r) {
        String state = r.outcome().state();
        return switch (state) {
            case Mail.QUEUED -> "retrying";
            case Mail.DISPATCHING -> "in doubt";
            default -> state;
        };
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "replica";
        }
    }

}
