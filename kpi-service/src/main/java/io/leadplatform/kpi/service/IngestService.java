package io.leadplatform.kpi.service;

import io.leadplatform.kpi.config.KpiConfig;
import io.leadplatform.kpi.domain.Deal;
import io.leadplatform.kpi.domain.Enrollment;
import io.leadplatform.kpi.domain.Grain;
import io.leadplatform.kpi.domain.LeadFacts;
import io.leadplatform.kpi.domain.Touch;
import io.leadplatform.kpi.repository.IngestRepository;
import io.leadplatform.kpi.repository.IngestRepository.Details;
import io.leadplatform.kpi.repository.IngestRepository.VisitorSighting;
import io.leadplatform.kpi.service.engine.Contributions;
import io.leadplatform.kpi.service.engine.Delta;
import io.leadplatform.kpi.service.engine.RollupTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Batched ingest: a batch of consumed events (one Kafka poll) in one transaction with a fixed number of
 * round trips: claim the event ids in the inbox (redeliveries drop out); lock the leads the batch touches with
 * every lead merged into them; read their touches, deals and enrolments; subtract their groups' old
 * contribution to the rollups, apply the events, add the new contribution (see {@link Contributions}); write
 * facts, details, rollup deltas and the website counters, pipelined.
 * <p>
 * Counters that do not depend on a lead (e-mail per sequence step, website sessions and page views, distinct
 * visitors per day / week / month / quarter) are added directly.
 */
@ApplicationScoped
public class IngestService {

    private static final int MAX_CLOSURE_ROUNDS = 8;

    private final Pool pool;
    private final IngestRepository repository;
    private final Contributions contributions;

    public IngestService(Pool pool, IngestRepository repository, KpiConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.contributions = new Contributions(config.timeDecayHalfLife());
    }

    /** Applies the events not yet processed by {@code consumer}, in one transaction; answers how many were new. */
    public Uni<Integer> process(String consumer, List<KpiEvent> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Map<UUID, KpiEvent> unique = new LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.eventId(), e));
        UUID[] ids = unique.keySet().toArray(UUID[]::new);
        return pool.withTransaction(conn -> repository.claim(conn, consumer, ids).chain(fresh -> {
            List<KpiEvent> events = unique.values().stream().filter(e -> fresh.contains(e.eventId())).toList();
            return events.isEmpty() ? Uni.createFrom().item(0) : apply(conn, events).replaceWith(events.size());
        }));
    }

    private Uni<Void> apply(SqlConnection conn, List<KpiEvent> events) {
        Delta delta = new Delta();
        List<VisitorSighting> sightings = new ArrayList<>();
        counters(events, delta, sightings);
        Set<UUID> leadIds = new TreeSet<>();
        events.forEach(e -> leadIds.addAll(leadsOf(e)));
        Uni<Void> leads = leadIds.isEmpty() ? Uni.createFrom().voidItem()
                : loadGroups(conn, leadIds).chain(loaded -> applyToLeads(conn, loaded, events, delta));
        return leads.chain(() -> {
            delta.addSlices();
            List<Uni<Void>> writes = new ArrayList<>(repository.apply(conn, delta));
            writes.addAll(repository.apply(conn, delta.monthly(), true));
            writes.add(repository.visitors(conn, sightings));
            return Uni.join().all(writes).andFailFast().replaceWithVoid();
        });
    }

    /** The leads whose facts an event changes (none for counters). */
    private static List<UUID> leadsOf(KpiEvent e) {
        return switch (e) {
            case KpiEvent.Captured c -> List.of(c.leadId());
            case KpiEvent.StageChanged s -> List.of(s.leadId());
            case KpiEvent.DealClosed d -> List.of(d.deal().leadId());
            case KpiEvent.Merged m -> List.of(m.leadId(), m.survivorId());
            case KpiEvent.Erased x -> List.of(x.leadId());
            case KpiEvent.Email m -> ("sent".equals(m.kind()) && m.sequenceId() != null)
                    || ("bounced".equals(m.kind()) && "hard".equals(m.bounceType()))
                    || ("clicked".equals(m.kind()) && "human".equals(m.classification())) ? List.of(m.leadId()) : List.of();
            case KpiEvent.PageView p -> p.leadId() != null && p.sessionStart() ? List.of(p.leadId()) : List.of();
        };
    }

    private record Loaded(Map<UUID, LeadFacts> leads, Details details) {
    }

    /** Locks the leads, what they were merged into and what was merged into them, until closed; then reads their details. */
    private Uni<Loaded> loadGroups(SqlConnection conn, Set<UUID> leadIds) {
        UUID[] sorted = leadIds.toArray(UUID[]::new);
        Map<UUID, LeadFacts> loaded = new HashMap<>();
        return repository.ensure(conn, sorted)
                .chain(() -> closure(conn, sorted, loaded, 0))
                .chain(() -> repository.details(conn, loaded.keySet().toArray(UUID[]::new)))
                .map(details -> new Loaded(loaded, details));
    }

    private Uni<Void> closure(SqlConnection conn, UUID[] frontier, Map<UUID, LeadFacts> loaded, int round) {
        return repository.lock(conn, frontier).chain(rows -> {
            Set<UUID> next = new TreeSet<>();
            for (LeadFacts f : rows) {
                if (loaded.putIfAbsent(f.leadId, f) == null) {
                    next.add(f.leadId);
                }
            }
            for (LeadFacts f : rows) {
                if (f.survivorId != null && !loaded.containsKey(f.survivorId)) {
                    next.add(f.survivorId);
                }
            }
            next.removeAll(List.of(frontier));
            if (next.isEmpty() || round >= MAX_CLOSURE_ROUNDS) {
                return Uni.createFrom().voidItem();
            }
            return repository.ensure(conn, next.toArray(UUID[]::new)).chain(() -> closure(conn, next.toArray(UUID[]::new), loaded, round + 1));
        });
    }

    private Uni<Void> applyToLeads(SqlConnection conn, Loaded loaded, List<KpiEvent> events, Delta delta) {
        Map<UUID, LeadFacts> before = new HashMap<>();
        loaded.leads().forEach((id, f) -> before.put(id, f.copy()));
        Details old = loaded.details();
        delta.add(contribution(before, old), -1);

        Map<UUID, LeadFacts> after = loaded.leads();
        Map<UUID, Touch> touches = new LinkedHashMap<>();
        old.touches().forEach(t -> touches.put(t.eventId(), t));
        Map<UUID, Deal> deals = new LinkedHashMap<>();
        old.deals().forEach(d -> deals.put(d.dealId(), d));
        Map<List<Object>, Enrollment> enrollments = new LinkedHashMap<>();
        old.enrollments().forEach(e -> enrollments.put(List.of(e.leadId(), e.sequenceId()), e));
        List<Touch> newTouches = new ArrayList<>();
        Map<UUID, Deal> changedDeals = new LinkedHashMap<>();
        Map<List<Object>, Enrollment> changedEnrollments = new LinkedHashMap<>();
        for (KpiEvent e : events) {
            switch (e) {
                case KpiEvent.Captured c -> {
                    after.get(c.leadId()).captured(c.capturedAt(), c.dims(), c.member(), c.subscribedAt());
                    if (c.touch()) {
                        Touch t = new Touch(c.eventId(), c.leadId(), c.capturedAt(), c.dims().channel(), c.dims().campaign());
                        touches.put(t.eventId(), t);
                        newTouches.add(t);
                    }
                }
                case KpiEvent.StageChanged s -> after.get(s.leadId()).reached(s.to(), s.changedAt());
                case KpiEvent.DealClosed d -> {
                    Deal current = deals.get(d.deal().dealId());
                    if (current == null || d.deal().closedAt().isAfter(current.closedAt())
                            || (d.deal().closedAt().equals(current.closedAt()) && d.deal().won() && !current.won())) {
                        deals.put(d.deal().dealId(), d.deal());
                        changedDeals.put(d.deal().dealId(), d.deal());
                    }
                }
                case KpiEvent.Merged m -> after.get(m.leadId()).merged(m.survivorId(), m.undone(), m.at());
                case KpiEvent.Erased x -> after.get(x.leadId()).erased(x.at());
                case KpiEvent.Email m -> {
                    if ("sent".equals(m.kind()) && m.sequenceId() != null) {
                        List<Object> key = List.of(m.leadId(), m.sequenceId());
                        Enrollment current = enrollments.get(key);
                        if (current == null || m.occurredAt().isBefore(current.firstSentAt())) {
                            Enrollment en = new Enrollment(m.leadId(), m.sequenceId(), m.occurredAt());
                            enrollments.put(key, en);
                            changedEnrollments.put(key, en);
                        }
                    } else if ("bounced".equals(m.kind()) && "hard".equals(m.bounceType())) {
                        after.get(m.leadId()).hardBounced(m.occurredAt());
                    } else if ("clicked".equals(m.kind()) && "human".equals(m.classification())) {
                        Touch t = new Touch(m.eventId(), m.leadId(), m.occurredAt(), "email", m.sequenceId() == null ? "" : m.sequenceId());
                        touches.put(t.eventId(), t);
                        newTouches.add(t);
                    }
                }
                case KpiEvent.PageView p -> {
                    if (p.leadId() != null && p.sessionStart()) {
                        Touch t = new Touch(p.eventId(), p.leadId(), p.occurredAt(), p.channel(), p.campaign());
                        touches.put(t.eventId(), t);
                        newTouches.add(t);
                    }
                }
            }
        }
        Details now = new Details(List.copyOf(touches.values()), List.copyOf(deals.values()), List.copyOf(enrollments.values()));
        delta.add(contribution(after, now), 1);
        List<LeadFacts> changed = after.values().stream().filter(f -> !f.equals(before.get(f.leadId)))
                .sorted(java.util.Comparator.comparing(f -> f.leadId)).toList();
        return Uni.join().all(List.of(repository.upsertLeads(conn, changed), repository.insertTouches(conn, newTouches),
                        repository.upsertDeals(conn, List.copyOf(changedDeals.values())),
                        repository.upsertEnrollments(conn, List.copyOf(changedEnrollments.values()))))
                .andFailFast().replaceWithVoid();
    }

    /** The summed contribution of every group among the loaded leads (a group whose root was not loaded is not complete: skipped). */
    private Delta contribution(Map<UUID, LeadFacts> leads, Details details) {
        Map<UUID, List<LeadFacts>> groups = new LinkedHashMap<>();
        for (LeadFacts f : leads.values()) {
            UUID root = root(leads, f);
            if (root != null) {
                groups.computeIfAbsent(root, r -> new ArrayList<>()).add(f);
            }
        }
        Map<UUID, UUID> rootOf = new HashMap<>();
        groups.forEach((root, members) -> members.forEach(m -> rootOf.put(m.leadId, root)));
        Map<UUID, List<Touch>> touches = new HashMap<>();
        details.touches().forEach(t -> group(rootOf, t.leadId(), touches).add(t));
        Map<UUID, List<Deal>> deals = new HashMap<>();
        details.deals().forEach(d -> group(rootOf, d.leadId(), deals).add(d));
        Map<UUID, List<Enrollment>> enrollments = new HashMap<>();
        details.enrollments().forEach(e -> group(rootOf, e.leadId(), enrollments).add(e));
        Delta d = new Delta();
        groups.forEach((root, members) -> d.add(contributions.of(new Contributions.Group(leads.get(root), members,
                touches.getOrDefault(root, List.of()), deals.getOrDefault(root, List.of()),
                enrollments.getOrDefault(root, List.of()))), 1));
        return d;
    }

    private static <T> List<T> group(Map<UUID, UUID> rootOf, UUID leadId, Map<UUID, List<T>> byRoot) {
        UUID root = rootOf.get(leadId);
        return root == null ? new ArrayList<>() : byRoot.computeIfAbsent(root, r -> new ArrayList<>());
    }

    /** The surviving lead a lead belongs to, following merges (cycles and unloaded survivors: null). */
    private static UUID root(Map<UUID, LeadFacts> leads, LeadFacts f) {
        Set<UUID> seen = new HashSet<>();
        LeadFacts current = f;
        while (current.survivorId != null) {
            if (!seen.add(current.leadId)) {
                return null;
            }
            current = leads.get(current.survivorId);
            if (current == null) {
                return null;
            }
        }
        return current.leadId;
    }

    private static void counters(List<KpiEvent> events, Delta delta, List<VisitorSighting> sightings) {
        Set<VisitorSighting> seen = new LinkedHashSet<>();
        for (KpiEvent e : events) {
            if (e instanceof KpiEvent.Email m) {
                String column = emailColumn(m);
                if (column != null) {
                    delta.count(RollupTable.EMAIL, List.of(Contributions.day(m.occurredAt()),
                            m.sequenceId() == null ? "" : m.sequenceId(), m.stepId() == null ? "" : m.stepId()), column, 1);
                }
            } else if (e instanceof KpiEvent.PageView p) {
                LocalDate day = Contributions.day(p.occurredAt());
                List<Object> key = List.of(day, p.channel(), p.campaign());
                delta.count(RollupTable.WEBSITE, key, "page_views", 1);
                delta.count(RollupTable.WEBSITE, key, "seconds", p.seconds());
                if (p.sessionStart()) {
                    delta.count(RollupTable.WEBSITE, key, "sessions", 1);
                    for (Grain grain : Grain.values()) {
                        String code = grain.code;
                        LocalDate period = grain.start(day);
                        for (String channel : List.of(p.channel(), "*")) {
                            for (String campaign : List.of(p.campaign(), "*")) {
                                seen.add(new VisitorSighting(code, period, channel, campaign, p.visitorId()));
                            }
                        }
                    }
                }
            }
        }
        sightings.addAll(seen);
    }

    /** The email_rollup column an e-mail event counts in (null: none). */
    static String emailColumn(KpiEvent.Email m) {
        return switch (m.kind()) {
            case "sent" -> "sent";
            case "delivered" -> "delivered";
            case "opened" -> "opened_" + cls(m.classification());
            case "clicked" -> "clicked_" + cls(m.classification());
            case "unsubscribed" -> "unsubscribed";
            case "bounced" -> "hard".equals(m.bounceType()) ? "bounced_hard" : "bounced_soft";
            case "complained" -> "complained";
            default -> null;
        };
    }

    private static String cls(String classification) {
        return switch (classification == null ? "human" : classification) {
            case "bot" -> "bot";
            case "proxy" -> "proxy";
            default -> "human";
        };
    }
}
