package io.leadplatform.scoring.service;

import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.ScoringModel;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.messaging.ScoringEvents;
import io.leadplatform.scoring.repository.LeadActivityRepository;
import io.leadplatform.scoring.repository.ScoringBatchRepository;
import io.leadplatform.scoring.repository.ScoringBatchRepository.ScoreRow;
import io.leadplatform.scoring.repository.ScoringBatchRepository.StoredLead;
import io.leadplatform.scoring.repository.ScoringModelRepository;
import io.leadplatform.scoring.repository.StageTransitionRepository;
import io.leadplatform.scoring.service.LeadEvent.ActivityHappened;
import io.leadplatform.scoring.service.LeadEvent.Merged;
import io.leadplatform.scoring.service.LeadEvent.ProfileChanged;
import io.leadplatform.scoring.service.engine.Activity;
import io.leadplatform.scoring.service.engine.EngagementSums;
import io.leadplatform.scoring.service.engine.ScoringEngine;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scoring on the reactive PG client, a whole set of leads per transaction with a fixed number of statements.
 * <p>
 * {@link #process}: a batch of consumed events, pipelined in two round trips (three when a lead needs its
 * history): claim the event ids in the inbox (redeliveries drop out), store new activities, lock the affected
 * leads' score rows in lead id order, read the active model; (only for leads that need it) read their
 * history; then write transitions, scores and outbox events with one multi-row statement each. Each lead is
 * scored once per batch, after all its events in the batch were applied in their order: profile changes
 * (the first capture creates the lead in stage LEAD), then engagement from its {@link EngagementSums}, to
 * which new activities are added; the lead moves to MQL when the final score qualifies, and one lead.scored
 * is emitted.
 * <p>
 * A lead is scored from its whole stored history instead when its sums are missing or belong to another
 * model (after an activation), when it has just been created (activities may have arrived before the
 * profile), or when an activity is dated after the scoring instant (see {@link EngagementSums#exactAt}).
 * <p>
 * {@link #recycleColdMqls}: the decay sweep, a page of MQLs per transaction, engagement from the same sums;
 * only the MQLs found cold are locked.
 */
@ApplicationScoped
public class BatchScoringService {

    private static final Logger LOG = Logger.getLogger(BatchScoringService.class);
    private static final UUID FIRST = new UUID(0, 0);
    static final int SWEEP_PAGE = 500;

    private final Pool pool;
    private final ScoringBatchRepository repository;
    private final LeadActivityRepository activities;
    private final StageTransitionRepository transitions;
    private final ScoringModelRepository modelRepository;
    private final ModelCatalog models;
    private final ScoringEvents events;

    public BatchScoringService(Pool pool, ScoringBatchRepository repository, LeadActivityRepository activities,
                               StageTransitionRepository transitions, ScoringModelRepository modelRepository, ModelCatalog models,
                               ScoringEvents events) {
        this.pool = pool;
        this.repository = repository;
        this.activities = activities;
        this.transitions = transitions;
        this.modelRepository = modelRepository;
        this.models = models;
        this.events = events;
    }

    /** What scoring decided in one transaction. */
    private record Decisions(List<StageTransition> transitions, List<ScoreRow> scores, List<OutboxEvent> outbox) {
        Decisions() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    /**
     * Processes the events (in their consumption order) as {@code consumer}, in one transaction; events the
     * consumer already processed are skipped. Answers how many outbox events were written; once committed,
     * the outbox relay is woken to publish them.
     */
    public Uni<Integer> process(String consumer, List<LeadEvent> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return inTransaction(conn -> repository.holdActiveModel(conn).chain(() -> process(conn, consumer, batch)));
    }

    /** What rescoring a chunk of leads under a model did. */
    public record Rescored(int rescored, int skipped, int events) {
    }

    /**
     * Rescores the locked leads under {@code model} from their whole history, inside the caller's transaction: a lead
     * already scored by that model (by the consumers after the activation, or by an earlier pass) is skipped, nothing
     * written and nothing emitted, so rescoring twice under one model changes nothing the second time. Every other
     * lead gets its score, one lead.scored, and moves LEAD / RECYCLED to MQL (lead.stage-changed) when it qualifies.
     */
    public Uni<Rescored> rescore(SqlConnection conn, ScoringModel model, Map<UUID, StoredLead> locked) {
        Map<UUID, List<LeadEvent>> byLead = new LinkedHashMap<>();
        locked.forEach((leadId, row) -> {
            if (row.mergedInto() == null && !model.id.equals(row.score().modelId)) {
                byLead.put(leadId, new ArrayList<>());
            }
        });
        int rescored = byLead.size();
        int skipped = locked.size() - rescored;
        if (byLead.isEmpty()) {
            return Uni.createFrom().item(new Rescored(0, skipped, 0));
        }
        return score(conn, model, byLead, locked, Set.of()).map(events -> new Rescored(rescored, skipped, events));
    }

    private Uni<Integer> inTransaction(java.util.function.Function<SqlConnection, Uni<Integer>> work) {
        return pool.withTransaction(work).invoke(written -> {
            if (written > 0) {
                events.committed();
            }
        });
    }

    /** The batch in its order: the events between two merges together, each merge on its own, in one transaction. */
    private Uni<Integer> process(SqlConnection conn, String consumer, List<LeadEvent> batch) {
        Uni<Integer> done = Uni.createFrom().item(0);
        List<LeadEvent> segment = new ArrayList<>();
        for (LeadEvent e : batch) {
            if (e instanceof Merged m) {
                List<LeadEvent> before = List.copyOf(segment);
                segment.clear();
                done = done.chain(n -> processEvents(conn, consumer, before).map(k -> n + k))
                        .chain(n -> merge(conn, consumer, m).map(k -> n + k));
            } else {
                segment.add(e);
            }
        }
        return segment.isEmpty() ? done : done.chain(n -> processEvents(conn, consumer, segment).map(k -> n + k));
    }

    private Uni<Integer> processEvents(SqlConnection conn, String consumer, List<LeadEvent> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        UUID[] activityLeadIds = batch.stream().filter(e -> e instanceof ActivityHappened).map(LeadEvent::leadId).distinct()
                .toArray(UUID[]::new);
        Uni<Map<UUID, UUID>> survivors = activityLeadIds.length == 0 ? Uni.createFrom().item(Map.of())
                : repository.survivors(conn, activityLeadIds);
        return survivors.chain(merged -> processEvents(conn, consumer, batch, merged));
    }

    /**
     * One segment of events; an activity of a lead merged into another ({@code survivors}) is stored on the
     * survivor (remembering the lead it came for) and scores the survivor.
     */
    private Uni<Integer> processEvents(SqlConnection conn, String consumer, List<LeadEvent> batch, Map<UUID, UUID> survivors) {
        List<LeadEvent> unique = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        List<UUID> activityLeads = new ArrayList<>();
        List<Activity> activities = new ArrayList<>();
        List<UUID> mergedFrom = new ArrayList<>();
        for (LeadEvent e : batch) {
            if (!seen.add(e.eventId())) {
                continue;
            }
            if (e instanceof ActivityHappened a) {
                UUID survivor = survivors.get(a.leadId());
                activityLeads.add(survivor != null ? survivor : a.leadId());
                activities.add(a.activity());
                mergedFrom.add(survivor != null ? a.leadId() : null);
                unique.add(survivor != null ? new ActivityHappened(survivor, a.activity()) : a);
            } else {
                unique.add(e);
            }
        }
        Set<UUID> leads = new LinkedHashSet<>();
        for (LeadEvent e : unique) {
            if (!(e instanceof LeadEvent.NoEffect)) {
                leads.add(e.leadId());
            }
        }
        // One round trip: the client pipelines these statements on the transaction's connection and PostgreSQL
        // runs them in this order. The inbox claim comes first: a concurrent transaction holding the same event
        // ids (a redelivery after a rebalance) makes it wait, and then those ids are not fresh. Activities of
        // redelivered events are already stored (same transaction as their claim), so inserting all of them
        // adds nothing; locking every lead of the batch at most locks a few rows more than needed.
        return Uni.combine().all().unis(
                        repository.claim(conn, consumer, seen.toArray(UUID[]::new)),
                        repository.insertActivities(conn, activityLeads, activities, mergedFrom),
                        repository.lock(conn, leads.toArray(UUID[]::new)),
                        models.active(conn))
                .asTuple()
                .chain(t -> {
                    Set<UUID> fresh = t.getItem1();
                    Map<UUID, List<LeadEvent>> byLead = new LinkedHashMap<>();
                    for (LeadEvent e : unique) {
                        if (fresh.contains(e.eventId()) && !(e instanceof LeadEvent.NoEffect)) {
                            byLead.computeIfAbsent(e.leadId(), k -> new ArrayList<>()).add(e);
                        }
                    }
                    if (byLead.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return score(conn, t.getItem4(), byLead, t.getItem3(), t.getItem2());
                });
    }

    private Uni<Integer> score(SqlConnection conn, ScoringModel model, Map<UUID, List<LeadEvent>> byLead,
                               Map<UUID, StoredLead> stored, Set<UUID> inserted) {
        Instant now = ScoringService.now();
        ScoringEngine engine = models.engine(model);
        Map<UUID, EngagementSums> sums = new LinkedHashMap<>();
        List<UUID> fromHistory = new ArrayList<>();
        byLead.keySet().removeIf(leadId -> stored.get(leadId) != null && stored.get(leadId).mergedInto() != null);
        byLead.forEach((leadId, leadEvents) -> {
            StoredLead row = stored.get(leadId);
            if (row == null) {
                if (leadEvents.stream().anyMatch(e -> e instanceof ProfileChanged)) {
                    fromHistory.add(leadId);
                }
                return;
            }
            EngagementSums s = usableSums(engine, model, row, now);
            if (s != null && leadEvents.stream().noneMatch(e -> e instanceof ActivityHappened a && a.activity().occurredAt().isAfter(now))) {
                sums.put(leadId, s);
            } else {
                fromHistory.add(leadId);
            }
        });
        return activities.history(conn, fromHistory.toArray(UUID[]::new)).chain(histories -> {
            Decisions decisions = new Decisions();
            byLead.forEach((leadId, leadEvents) -> {
                int firstTransition = decisions.transitions().size();
                StoredLead row = stored.get(leadId);
                LeadScore score = apply(leadId, row, leadEvents, sums.get(leadId), inserted, engine, now, decisions.transitions());
                if (score == null) {
                    LOG.debugf("activities of lead %s stored; the lead is scored when its profile arrives", leadId);
                    return;
                }
                boolean profileChanged = leadEvents.stream().anyMatch(e -> e instanceof ProfileChanged);
                Scored scored = score(engine, model, score, sums.get(leadId), histories.get(leadId), now);
                if (ScoringService.qualifiesForMql(score, scored.summary())) {
                    decisions.transitions().add(StageChanger.transition(score, Stage.MQL,
                            ScoringService.mqlReason(model, scored.summary()), "system", now));
                }
                for (StageTransition t : decisions.transitions().subList(firstTransition, decisions.transitions().size())) {
                    decisions.outbox().add(events.stageChangedRow(t, score.channel));
                }
                decisions.outbox().add(events.scoredRow(score));
                decisions.scores().add(new ScoreRow(score, profileChanged ? null : row.profileJson(), scored.sums().encode()));
            });
            return write(conn, decisions);
        });
    }

    /**
     * Applies a lead's events of the batch in order: profile changes (the first capture creates the lead in
     * stage LEAD and records that transition), and new activities into {@code sums} when the lead is scored
     * from its sums. Answers the lead's score to recompute, or null while the lead has no profile yet.
     */
    private static LeadScore apply(UUID leadId, StoredLead row, List<LeadEvent> leadEvents, EngagementSums sums, Set<UUID> inserted,
                                   ScoringEngine engine, Instant now, List<StageTransition> transitions) {
        LeadScore score = row == null ? null : row.score();
        for (LeadEvent e : leadEvents) {
            if (e instanceof ProfileChanged p) {
                if (score == null) {
                    score = new LeadScore();
                    score.leadId = leadId;
                    transitions.add(StageChanger.transition(score, Stage.LEAD,
                            "captured via " + p.profile().getOrDefault("source", "unknown"), "system", now));
                }
                score.channel = (String) p.profile().get("channel");
                score.profile = p.profile();
            } else if (e instanceof ActivityHappened a && sums != null && inserted.contains(a.eventId())) {
                engine.accumulate(sums, a.activity());
            }
        }
        return score;
    }

    /**
     * Recycles every MQL whose engagement, decayed to {@code now} with the model that scored it, fell below
     * that model's MQL threshold, a page of {@value #SWEEP_PAGE} leads per transaction. Answers how many were
     * recycled.
     */
    public Uni<Integer> recycleColdMqls(Instant now) {
        return sweepFrom(FIRST, now, 0);
    }

    private record Page(int recycled, int size, UUID last) {
    }

    private Uni<Integer> sweepFrom(UUID after, Instant now, int recycledSoFar) {
        List<Page> page = new ArrayList<>(1);
        return inTransaction(conn -> sweepPage(conn, after, now).invoke(page::add).map(Page::recycled))
                .chain(() -> {
                    Page p = page.get(0);
                    int recycled = recycledSoFar + p.recycled();
                    return p.size() < SWEEP_PAGE ? Uni.createFrom().item(recycled) : sweepFrom(p.last(), now, recycled);
                });
    }

    /**
     * One page of MQLs, read without locks: in the usual case none has gone cold and the sweep never blocks
     * scoring. Only the leads found cold are then locked, read again (they may have been scored or moved
     * meanwhile) and recycled if they still are MQLs below the threshold.
     */
    private Uni<Page> sweepPage(SqlConnection conn, UUID after, Instant now) {
        return repository.mqls(conn, after, SWEEP_PAGE).chain(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(new Page(0, 0, after));
            }
            UUID last = List.copyOf(page.keySet()).get(page.size() - 1);
            return cold(conn, page, now).chain(cold -> {
                if (cold.isEmpty()) {
                    return Uni.createFrom().item(new Page(0, page.size(), last));
                }
                return repository.lock(conn, cold.stream().map(c -> c.row().score().leadId).toArray(UUID[]::new))
                        .chain(locked -> {
                            locked.values().removeIf(row -> row.score().stage != Stage.MQL);
                            return cold(conn, locked, now);
                        })
                        .chain(confirmed -> {
                            Decisions decisions = new Decisions();
                            for (Cold c : confirmed) {
                                LeadScore score = c.row().score();
                                StageTransition t = StageChanger.transition(score, Stage.RECYCLED, "engagement decayed below "
                                        + ScoringEngine.format(c.threshold()) + " (now "
                                        + ScoringEngine.format(c.scored().summary().engagement()) + ")", "system", now);
                                decisions.transitions().add(t);
                                decisions.outbox().add(events.stageChangedRow(t, score.channel));
                                decisions.scores().add(new ScoreRow(score, c.row().profileJson(), c.scored().sums().encode()));
                            }
                            return write(conn, decisions).map(n -> new Page(decisions.transitions().size(), page.size(), last));
                        });
            });
        });
    }

    /** An MQL whose engagement, decayed to the sweep's instant with the model that scored it, is below that model's threshold. */
    private record Cold(StoredLead row, Scored scored, double threshold) {
    }

    /** The leads among {@code rows} that have gone cold (scores applied to their rows), each with the model that scored it. */
    private Uni<List<Cold>> cold(SqlConnection conn, Map<UUID, StoredLead> rows, Instant now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] modelIds = rows.values().stream().map(l -> l.score().modelId).filter(java.util.Objects::nonNull).distinct()
                .toArray(UUID[]::new);
        return Uni.combine().all().unis(modelRepository.find(conn, modelIds), models.active(conn)).asTuple().chain(m -> {
            Map<UUID, ScoringModel> modelOf = new LinkedHashMap<>();
            Map<UUID, EngagementSums> sums = new LinkedHashMap<>();
            List<UUID> fromHistory = new ArrayList<>();
            rows.forEach((leadId, row) -> {
                ScoringModel model = m.getItem1().getOrDefault(row.score().modelId, m.getItem2());
                modelOf.put(leadId, model);
                EngagementSums s = usableSums(models.engine(model), model, row, now);
                if (s != null) {
                    sums.put(leadId, s);
                } else {
                    fromHistory.add(leadId);
                }
            });
            return activities.history(conn, fromHistory.toArray(UUID[]::new)).map(histories -> {
                List<Cold> cold = new ArrayList<>();
                rows.forEach((leadId, row) -> {
                    ScoringModel model = modelOf.get(leadId);
                    ScoringEngine engine = models.engine(model);
                    Scored scored = score(engine, model, row.score(), sums.get(leadId), histories.get(leadId), now);
                    double threshold = engine.model().mql().minEngagement();
                    if (scored.summary().engagement() < threshold) {
                        cold.add(new Cold(row, scored, threshold));
                    }
                });
                return cold;
            });
        });
    }

    private record Scored(ScoringEngine.Summary summary, EngagementSums sums) {
    }

    /**
     * Scores the lead (and applies the score to it) from its sums when they are usable, else from its whole
     * history (then the sums are rebuilt from it).
     */
    private static Scored score(ScoringEngine engine, ScoringModel model, LeadScore score, EngagementSums sums, List<Activity> history,
                                Instant now) {
        Scored scored;
        if (sums != null) {
            scored = new Scored(engine.summarize(score.profile, sums, now), sums);
        } else {
            List<Activity> all = history == null ? List.of() : history;
            scored = new Scored(engine.score(score.profile, all, now).summary(), engine.sums(model.id, all));
        }
        ScoringService.apply(score, model, scored.summary());
        return scored;
    }

    /** The lead's stored sums when they follow {@code model} and are exact at {@code now}; else null (score from history). */
    private static EngagementSums usableSums(ScoringEngine engine, ScoringModel model, StoredLead row, Instant now) {
        EngagementSums s = engine.decodeSums(row.engagementState());
        return s != null && s.modelId().equals(model.id) && s.exactAt(now) ? s : null;
    }

    /**
     * lead.merged, once per event id and once per merge: a merge re-keys the merged lead's activities and stage
     * history onto the survivor and rescores the survivor from its whole history (the merged lead is no longer
     * scored or swept); its undo moves exactly what the merge moved back and rescores both. A merge already
     * recorded (a repeated event) or an undo of a merge never applied here changes nothing but the record.
     */
    private Uni<Integer> merge(SqlConnection conn, String consumer, Merged m) {
        return repository.claim(conn, consumer, new UUID[]{m.eventId()}).chain(fresh -> {
            if (fresh.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return repository.mergeUndone(conn, m.mergeId()).chain(undone -> {
                if (!m.undone()) {
                    if (undone != null) {
                        return Uni.createFrom().item(0);
                    }
                    return repository.recordMerge(conn, m.mergeId(), m.leadId(), m.survivorId(), m.mergedAt(), false)
                            .chain(() -> repository.merge(conn, m.leadId(), m.survivorId()))
                            .chain(() -> rescore(conn, m.survivorId()));
                }
                Uni<Void> record = repository.recordMerge(conn, m.mergeId(), m.leadId(), m.survivorId(), m.mergedAt(), true);
                if (undone == null || undone) {
                    return record.replaceWith(0);
                }
                return record.chain(() -> repository.unmerge(conn, m.leadId(), m.survivorId()))
                        .chain(() -> rescore(conn, m.leadId(), m.survivorId()));
            });
        });
    }

    /** Scores the leads again from their whole stored history (their sums were cleared), emitting lead.scored. */
    private Uni<Integer> rescore(SqlConnection conn, UUID... leadIds) {
        return Uni.combine().all().unis(repository.lock(conn, leadIds), models.active(conn)).asTuple().chain(t -> {
            Map<UUID, List<LeadEvent>> byLead = new LinkedHashMap<>();
            t.getItem1().keySet().forEach(id -> byLead.put(id, new ArrayList<>()));
            return byLead.isEmpty() ? Uni.createFrom().item(0) : score(conn, t.getItem2(), byLead, t.getItem1(), Set.of());
        });
    }

    /** Writes what scoring decided, pipelined (one round trip): transitions, then scores, then outbox events. */
    private Uni<Integer> write(SqlConnection conn, Decisions d) {
        return Uni.combine().all().unis(transitions.insertAll(conn, d.transitions()), repository.upsertScores(conn, d.scores()),
                        events.insertAll(conn, d.outbox()))
                .discardItems()
                .replaceWith(d.outbox().size());
    }
}
