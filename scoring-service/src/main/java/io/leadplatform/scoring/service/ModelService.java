package io.leadplatform.scoring.service;

import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.scoring.domain.LeadActivity;
import io.leadplatform.scoring.domain.ScoringModel;
import io.leadplatform.scoring.domain.Stage;
import io.leadplatform.scoring.repository.LeadActivityRepository;
import io.leadplatform.scoring.repository.LeadScoreRepository;
import io.leadplatform.scoring.repository.ScoringModelRepository;
import io.leadplatform.scoring.repository.StageTransitionRepository;
import io.leadplatform.scoring.service.engine.Backtest;
import io.leadplatform.scoring.service.engine.ModelDefinition;
import io.leadplatform.scoring.service.engine.ModelValidator;
import io.leadplatform.scoring.service.engine.ScoringEngine;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Use cases of scoring models: save a version, list, activate (a durable job rescores everyone, see {@link RescoreJobs}), backtest. */
@ApplicationScoped
public class ModelService {

    private static final Set<Stage> CONVERTED = EnumSet.of(Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER);

    private final ScoringModelRepository models;
    private final LeadScoreRepository scores;
    private final LeadActivityRepository activities;
    private final StageTransitionRepository transitions;
    private final ModelCatalog catalog;
    private final RescoreJobs jobs;

    public ModelService(ScoringModelRepository models, LeadScoreRepository scores, LeadActivityRepository activities,
                        StageTransitionRepository transitions, ModelCatalog catalog, RescoreJobs jobs) {
        this.models = models;
        this.scores = scores;
        this.activities = activities;
        this.transitions = transitions;
        this.catalog = catalog;
        this.jobs = jobs;
    }

    /** Saves a new version of the named model (version 1 for a new name); a 422 names every invalid field. */
    @WithTransaction
    public Uni<ScoringModel> create(String name, ModelDefinition definition, String actor) {
        requireValid(definition);
        return models.latestVersion(name).chain(latest -> {
            ScoringModel m = new ScoringModel();
            m.id = UUID.randomUUID();
            m.name = name;
            m.version = latest + 1;
            m.definition = catalog.toJson(definition);
            m.active = false;
            m.createdAt = ScoringService.now();
            m.createdBy = actor;
            return models.persist(m);
        });
    }

    public static void requireValid(ModelDefinition definition) {
        List<Problem.FieldError> errors = ModelValidator.validate(definition);
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors.stream()
                    .map(e -> new Problem.FieldError("model." + e.field(), e.message())).toList()));
        }
    }

    @WithSession
    public Uni<List<ScoringModel>> list() {
        return models.all();
    }

    @WithSession
    public Uni<ScoringModel> get(UUID id) {
        return models.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("no scoring model " + id));
    }

    /**
     * Makes the model the only active one and records the durable job that rescores every lead under it
     * ({@link RescoreJobs}), in one transaction; answers the model.
     */
    public Uni<ScoringModel> activate(UUID id) {
        return jobs.activate(id).chain(() -> Panache.withSession(() -> models.findById(id)));
    }

    /** Replays a candidate model over the stored activity of [from, to) as it stood at {@code to}. */
    @WithSession
    public Uni<Backtest.Result> backtest(ModelDefinition definition, Instant from, Instant to) {
        requireValid(definition);
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("to", "must be after from");
        }
        ScoringEngine engine = new ScoringEngine(definition);
        return activities.between(from, to).chain(list -> {
            Map<UUID, List<LeadActivity>> byLead = list.stream()
                    .collect(Collectors.groupingBy(a -> a.leadId, LinkedHashMap::new, Collectors.toList()));
            if (byLead.isEmpty()) {
                return Uni.createFrom().item(Backtest.summarise(List.of()));
            }
            List<UUID> ids = List.copyOf(byLead.keySet());
            return scores.list("leadId in ?1", ids).chain(profiles -> transitions.list("leadId in ?1", ids).map(history -> {
                Map<UUID, Set<Stage>> reached = history.stream().collect(Collectors.groupingBy(t -> t.leadId,
                        Collectors.mapping(t -> t.toStage, Collectors.toSet())));
                List<Backtest.LeadOutcome> outcomes = profiles.stream().map(p -> {
                    ScoringEngine.Score s = engine.score(p.profile,
                            byLead.get(p.leadId).stream().map(LeadActivity::toActivity).toList(), to);
                    Set<Stage> stages = reached.getOrDefault(p.leadId, Set.of());
                    Boolean converted = stages.stream().anyMatch(CONVERTED::contains) ? Boolean.TRUE
                            : stages.contains(Stage.DISQUALIFIED) || stages.contains(Stage.RECYCLED) ? Boolean.FALSE : null;
                    return new Backtest.LeadOutcome(s.grade(), s.temperature(), s.mql().mql(), converted);
                }).toList();
                return Backtest.summarise(outcomes);
            }));
        });
    }
}
