package io.leadplatform.nurturing.service;

import io.leadplatform.nurturing.config.NurturingConfig;
import io.leadplatform.nurturing.domain.Contact;
import io.leadplatform.nurturing.domain.Enrollment;
import io.leadplatform.nurturing.domain.Mail;
import io.leadplatform.nurturing.domain.Sequence;
import io.leadplatform.nurturing.domain.SequenceDefinition;
import io.leadplatform.nurturing.repository.ContactRepository;
import io.leadplatform.nurturing.repository.EnrollmentRepository;
import io.leadplatform.nurturing.repository.EnrollmentRepository.NewEntry;
import io.leadplatform.nurturing.repository.EnrollmentRepository.Progress;
import io.leadplatform.nurturing.repository.MailRepository;
import io.leadplatform.nurturing.repository.SequenceRepository;
import io.leadplatform.nurturing.service.engine.Schedule;
import io.leadplatform.nurturing.service.engine.StepEngine;
import io.leadplatform.nurturing.service.engine.StepEngine.Facts;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The scheduler of enrollments: claims due enrollments in batches ({@code FOR UPDATE SKIP LOCKED}, so replicas
 * share the work without waiting for each other), walks each through its sequence version and commits, in one
 * transaction, the new position, the history and the mails to send (queued for {@link MailDispatcher}). A replica
 * that dies mid-round commits nothing: the rows are due again for whoever comes next.
 */
@ApplicationScoped
public class SequenceRunner {

    /** More sends than this in one round for one enrollment means consecutive sends without waits: continue next round. */
    static final int MAX_SENDS_PER_ROUND = 5;

    private final Pool pool;
    private final EnrollmentRepository enrollments;
    private final SequenceRepository sequences;
    private final ContactRepository contacts;
    private final MailRepository mails;
    private final MailDispatcher dispatcher;
    private final NurturingConfig config;
    private final Loop loop;

    public SequenceRunner(Pool pool, EnrollmentRepository enrollments, SequenceRepository sequences, ContactRepository contacts,
                          MailRepository mails, MailDispatcher dispatcher, NurturingConfig config) {
        this.pool = pool;
        this.enrollments = enrollments;
        this.sequences = sequences;
        this.contacts = contacts;
        this.mails = mails;
        this.dispatcher = dispatcher;
        this.config = config;
        this.loop = new Loop("sequence runner", this::round, config.scheduler().batchSize());
    }

    @Scheduled(every = "${nurturing.scheduler.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void tick() {
        loop.wakeUp();
    }

    /** Run a round soon (new enrollments were committed). */
    public void wakeUp() {
        loop.wakeUp();
    }

    /** One batch: answers how many enrollments it claimed. */
    public Uni<Integer> round() {
        int[] queued = {0};
        return pool.withTransaction(c -> enrollments.claimDue(c, dispatcher.owner(), config.scheduler().batchSize(), config.scheduler().lease())
                        .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(0)
                                : process(c, claimed).invoke(n -> queued[0] = n).replaceWith(claimed.size())))
                .invoke(() -> {
                    if (queued[0] > 0) {
                        dispatcher.wakeUp();
                    }
                });
    }

    private Uni<Integer> process(SqlConnection c, List<Enrollment> claimed) {
        Instant now = Instant.now();
        UUID[] leads = claimed.stream().map(Enrollment::leadId).distinct().toArray(UUID[]::new);
        Instant since = claimed.stream().map(Enrollment::startedAt).min(Instant::compareTo).orElse(now);
        return Uni.combine().all().unis(
                        sequences.versions(c, claimed.stream().map(Enrollment::sequenceId).toArray(UUID[]::new),
                                claimed.stream().map(Enrollment::version).toArray(Integer[]::new)),
                        contacts.lock(c, leads),
                        mails.marketingSince(c, leads, now.minus(config.cap().window())),
                        mails.humanEngagement(c, claimed.stream().map(Enrollment::id).toArray(UUID[]::new)),
                        contacts.visits(c, leads, since))
                .asTuple()
                .chain(t -> {
                    Round round = new Round(now, t.getItem3());
                    for (Enrollment e : claimed) {
                        Sequence s = t.getItem1().get(SequenceRepository.key(e.sequenceId(), e.version()));
                        Contact contact = t.getItem2().get(e.leadId());
                        step(round, e, s, contact, t.getItem4(), t.getItem5().getOrDefault(e.leadId(), List.of()));
                    }
                    return mails.queue(c, round.mails)
                            .chain(() -> enrollments.addHistory(c, round.history))
                            .chain(() -> enrollments.progress(c, dispatcher.owner(), round.progress))
                            .replaceWith(round.mails.size());
                });
    }

    /** What one round decided. */
    private static final class Round {
        final Instant now;
        final Map<UUID, List<Instant>> recentMarketing;
        final List<Mail> mails = new ArrayList<>();
        final List<NewEntry> history = new ArrayList<>();
        final List<Progress> progress = new ArrayList<>();

        Round(Instant now, Map<UUID, List<Instant>> recentMarketing) {
            this.now = now;
            this.recentMarketing = new HashMap<>(recentMarketing);
        }

        void log(UUID enrollment, String step, String action, String reason) {
            history.add(new NewEntry(enrollment, step, action, reason, now));
        }
    }

    private void step(Round r, Enrollment e, Sequence s, Contact contact, Set<String> engagement, List<String> visits) {
        if (s == null) {
            r.log(e.id(), e.currentStep(), "exited", "sequence version " + e.version() + " is gone");
            r.progress.add(new Progress(e.id(), Enrollment.EXITED, e.currentStep(), e.stepsDone(), null, "sequence version gone"));
            return;
        }
        if (contact == null || contact.permanentlyBlocked()) {
            String why = contact == null ? "unknown lead" : contact.marketingBlock();
            r.log(e.id(), e.currentStep(), "exited", why);
            r.progress.add(new Progress(e.id(), Enrollment.EXITED, e.currentStep(), e.stepsDone(), null, why));
            return;
        }
        SequenceDefinition d = s.definition();
        Schedule.Zone zone = Schedule.zoneOf(contact.timeZone(), contact.country(), d.timeZone());
        Facts facts = new Facts(contact.stage(), contact.grade(), contact.temperature(),
                engaged(engagement, e.id(), "opened"), engaged(engagement, e.id(), "clicked"), visits);
        String current = e.currentStep();
        int done = e.stepsDone();
        for (int sends = 0; sends <= MAX_SENDS_PER_ROUND; sends++) {
            StepEngine.Outcome out = StepEngine.run(d, current, facts, r.now, zone.id());
            out.history().forEach(h -> r.log(e.id(), h.stepId(), h.action(), h.reason()));
            switch (out.stop()) {
                case StepEngine.Complete ignored -> {
                    r.log(e.id(), null, "completed", "end of sequence");
                    r.progress.add(new Progress(e.id(), Enrollment.COMPLETED, null, done, null, null));
                    return;
                }
                case StepEngine.Exit exit -> {
                    r.log(e.id(), exit.stepId(), "exited", exit.reason());
                    r.progress.add(new Progress(e.id(), Enrollment.EXITED, exit.stepId(), done, null, exit.reason()));
                    return;
                }
                case StepEngine.Wait wait -> {
                    r.progress.add(new Progress(e.id(), Enrollment.ACTIVE, wait.next(), done, wait.until(), null));
                    return;
                }
                case StepEngine.Send send -> {
                    String step = send.step().id();
                    String block = contact.marketingBlock();
                    if (block != null) {
                        r.log(e.id(), step, "skipped", block);
                        current = send.next();
                        continue;
                    }
                    Instant slot = allowed(r, e.leadId(), d, zone);
                    if (slot.isAfter(r.now)) {
                        r.log(e.id(), step, "deferred", deferral(r, e.leadId(), d, zone, slot));
                        r.progress.add(new Progress(e.id(), Enrollment.ACTIVE, step, done, slot, null));
                        return;
                    }
                    done++;
                    r.mails.add(Mail.queued(e.leadId(), e.id(), s.id(), s.version(), step, done, send.step().template(), false,
                            Mail.SEQUENCE, null, null, r.now, dispatcher.messageDomain()));
                    r.recentMarketing.computeIfAbsent(e.leadId(), k -> new ArrayList<>()).add(r.now);
                    r.log(e.id(), step, "queued", "template " + send.step().template());
                    current = send.next();
                    if (current == null) {
                        r.log(e.id(), null, "completed", "end of sequence");
                        r.progress.add(new Progress(e.id(), Enrollment.COMPLETED, null, done, null, null));
                        return;
                    }
                }
            }
        }
        // consecutive sends: the next one waits for the next round (and is counted against the cap there)
        r.progress.add(new Progress(e.id(), Enrollment.ACTIVE, current, done, r.now, null));
    }

    /** The earliest moment a marketing mail may go to the lead: inside the send window and under the frequency cap. */
    private Instant allowed(Round r, UUID lead, SequenceDefinition d, Schedule.Zone zone) {
        Instant at = r.now;
        List<Instant> recent = r.recentMarketing.getOrDefault(lead, List.of());
        int max = config.cap().max();
        if (recent.size() >= max) {
            at = recent.get(recent.size() - max).plus(config.cap().window());
        }
        return Schedule.nextSlot(at, zone.id(), d.sendWindow());
    }

    private String deferral(Round r, UUID lead, SequenceDefinition d, Schedule.Zone zone, Instant slot) {
        int recent = r.recentMarketing.getOrDefault(lead, List.of()).size();
        String why = recent >= config.cap().max()
                ? "frequency cap: " + recent + " marketing mails in " + config.cap().window().toDays() + " days (max " + config.cap().max() + ")"
                : "outside the send window " + d.sendWindow().from() + "-" + d.sendWindow().to();
        return why + "; next allowed slot " + slot + " (" + slot.atZone(zone.id()).toLocalDateTime() + " " + zone.id()
                + ", zone from " + zone.source() + ")";
    }

    private static Set<String> engaged(Set<String> engagement, UUID enrollment, String kind) {
        Set<String> steps = new HashSet<>();
        String prefix = enrollment + "/";
        for (String key : engagement) {
            if (key.startsWith(prefix) && key.endsWith("/" + kind)) {
                steps.add(key.substring(prefix.length(), key.length() - kind.length() - 1));
            }
        }
        return steps;
    }

    /** Lets a test or a benchmark switch the background scheduler off ({@code nurturing.scheduler.enabled=false}). */
    @ApplicationScoped
    public static class Disabled implements Scheduled.SkipPredicate {
        private final boolean enabled;

        public Disabled(NurturingConfig config) {
            this.enabled = config.scheduler().enabled();
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !enabled;
        }
    }
}
