package io.leadplatform.scoring.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.common.outbox.OutboxRelay;
import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.ScoringModel;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.messaging.ScoringEvents;
import io.leadplatform.scoring.repository.ScoringBatchRepository;
import io.leadplatform.scoring.repository.ScoringBatchRepository.OutboxRow;
import io.leadplatform.scoring.repository.ScoringBatchRepository.ScoreRow;
import io.leadplatform.scoring.repository.ScoringBatchRepository.StoredLead;
import io.leadplatform.scoring.service.LeadEvent.ActivityHappened;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scores a batch of consumed events in one transaction with a fixed number of statements, whatever the
 * batch size: claim the event ids in the inbox (redeliveries drop out), store new activities, lock the
 * affected leads' score rows in lead id order, read the active model, (only for leads that need it) read
 * their history, then write transitions, scores and outbox events with one multi-row statement each.
 * <p>
 * Each lead is scored once per batch, after all its events in the batch were applied in their order:
 * profile changes (the first capture creates the lead in stage LEAD), then engagement from its
 * {@link EngagementSums}, to which new activities are added; the lead moves to MQL when the final score
 * qualifies, and one lead.scored is emitted. A lead is rescored from its whole stored history instead when
 * its sums are missing or belong to another model (after an activation), when it has just been created
 * (activities may have arrived before the profile), or when an activity is dated after the scoring instant.
 */
@ApplicationScoped
public class BatchScoringService {

    private static final Logger LOG = Logger.getLogger(BatchScoringService.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Pool pool;
    private final ScoringBatchRepository repository;
    private final ModelCatalog models;
    private final ScoringEvents events;
    private final OutboxRelay relay;
    private final ObjectMapper mapper;

    public BatchScoringService(Pool pool, ScoringBatchRepository repository, ModelCatalog models, ScoringEvents events,
                               OutboxRelay relay, ObjectMapper mapper) {
        this.pool = pool;
        this.repository = repository;
        this.models = models;
        this.events = events;
        this.relay = relay;
        this.mapper = mapper;
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
        return pool.withTransaction(conn -> process(conn, consumer, batch))
                .invoke(written -> {
                    if (written > 0) {
                        relay.relayNow().subscribe().with(n -> { }, e -> LOG.debugf("outbox relay: %s", e));
                    }
                });
    }

    private Uni<Integer> process(SqlConnection conn, String consumer, List<LeadEvent> batch) {
        UUID[] ids = batch.stream().map(LeadEvent::eventId).distinct().toArray(UUID[]::new);
        return repository.claim(conn, consumer, ids).chain(fresh -> {
            List<LeadEvent> todo = new ArrayList<>();
            Set<UUID> taken = new HashSet<>();
            for (LeadEvent e : batch) {
                if (fresh.contains(e.eventId()) && taken.add(e.eventId())) {
                    todo.add(e);
                }
            }
            List<UUID> activityLeads = new ArrayList<>();
            List<Activity> activities = new ArrayList<>();
            Map<UUID, List<LeadEvent>> byLead = new LinkedHashMap<>();
            for (LeadEvent e : todo) {
                if (e instanceof ActivityHappened a) {
                    activityLeads.add(a.leadId());
                    activities.add(a.activity());
                }
                if (!(e instanceof LeadEvent.NoEffect)) {
                    byLead.computeIfAbsent(e.leadId(), k -> new ArrayList<>()).add(e);
                }
            }
            if (byLead.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return repository.insertActivities(conn, activityLeads, activities)
                    .chain(inserted -> repository.lock(conn, byLead.keySet().toArray(UUID[]::new))
                            .chain(stored -> repository.activeModel(conn)
                                    .chain(model -> score(conn, model, byLead, stored, inserted))));
        });
    }

    private Uni<Integer> score(SqlConnection conn, ScoringModel model, Map<UUID, List<LeadEvent>> byLead,
                               Map<UUID, StoredLead> stored, Set<UUID> inserted) {
        Instant now = ScoringService.now();
        ScoringEngine engine = models.engine(model);
        Map<UUID, EngagementSums> sums = new LinkedHashMap<>();
        List<UUID> fromHistory = new ArrayList<>();
        byLead.forEach((leadId, leadEvents) -> {
            StoredLead row = stored.get(leadId);
            if (row == null) {
                if (leadEvents.stream().anyMatch(e -> e instanceof ProfileChanged)) {
                    fromHistory.add(leadId);
                }
                return;
            }
            EngagementSums s = engine.decodeSums(row.engagementState());
            boolean usable = s != null && s.modelId().equals(model.id) && s.exactAt(now) && leadEvents.stream()
                    .noneMatch(e -> e instanceof ActivityHappened a && a.activity().occurredAt().isAfter(now));
            if (usable) {
                sums.put(leadId, s);
            } else {
                fromHistory.add(leadId);
            }
        });
        return repository.history(conn, fromHistory.toArray(UUID[]::new)).chain(histories -> {
            List<StageTransition> transitions = new ArrayList<>();
            List<ScoreRow> rows = new ArrayList<>();
            List<OutboxRow> outbox = new ArrayList<>();
            byLead.forEach((leadId, leadEvents) -> {
                int firstTransition = transitions.size();
                StoredLead row = stored.get(leadId);
                LeadScore score = apply(leadId, row, leadEvents, sums.get(leadId), inserted, engine, now, transitions);
                if (score == null) {
                    LOG.debugf("activities of lead %s stored; the lead is scored when its profile arrives", leadId);
                    return;
                }
                boolean profileChanged = leadEvents.stream().anyMatch(e -> e instanceof ProfileChanged);
                EngagementSums leadSums = sums.get(leadId);
                ScoringEngine.Summary summary;
                if (leadSums == null) {
                    List<Activity> history = histories.getOrDefault(leadId, List.of());
                    leadSums = engine.sums(model.id, history);
                    summary = engine.score(score.profile, history, now).summary();
                } else {
                    summary = engine.summarize(score.profile, leadSums, now);
                }
                ScoringService.apply(score, model, summary);
                if (ScoringService.qualifiesForMql(score, summary)) {
                    transitions.add(StageChanger.transition(score, Stage.MQL, ScoringService.mqlReason(model, summary), "system", now));
                }
                for (StageTransition t : transitions.subList(firstTransition, transitions.size())) {
                    outbox.add(events.stageChangedRow(t, score.channel));
                }
                outbox.add(events.scoredRow(score));
                rows.add(new ScoreRow(score, profileChanged ? json(score.profile) : row.profileJson(), json(score.contributions),
                        leadSums.encode()));
            });
            return repository.insertTransitions(conn, transitions)
                    .chain(() -> repository.upsertScores(conn, rows))
                    .chain(() -> repository.insertOutbox(conn, outbox))
                    .replaceWith(outbox.size());
        });
    }

    /**
     * Applies a lead's events of the batch in order: profile changes (the first capture creates the lead in
     * stage LEAD and records that transition), and new activities into {@code sums} when the lead is scored
     * from its sums. Answers the lead's score to recompute, or null while the lead has no profile yet.
     */
    private LeadScore apply(UUID leadId, StoredLead row, List<LeadEvent> leadEvents, EngagementSums sums, Set<UUID> inserted,
                            ScoringEngine engine, Instant now, List<StageTransition> transitions) {
        LeadScore score = row == null ? null : stored(row);
        for (LeadEvent e : leadEvents) {
            if (e instanceof ProfileChanged p) {
                if (score == null) {
                    score = new LeadScore();
                    score.leadId = leadId;
                    score.stage = null;
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

    private LeadScore stored(StoredLead row) {
        LeadScore score = new LeadScore();
        score.leadId = row.leadId();
        score.channel = row.channel();
        score.stage = Stage.valueOf(row.stage());
        try {
            score.profile = mapper.readValue(row.profileJson(), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored profile of lead " + row.leadId() + " is not readable", e);
        }
        return score;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
