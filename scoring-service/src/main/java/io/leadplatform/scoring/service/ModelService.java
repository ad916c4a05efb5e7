package io.leadplatform.scoring.service;

import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Use cases of scoring models: save a version, list, activate (a durable job rescores everyone, see {@link RescoreJobs}), backtest. */
@ApplicationScoped
public class ModelService {

    private static final Set<Stage> CONVERTED = EnumSet.of(Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER);

    private final Pool pool;
    private final ScoringModelRepository models;
    private final LeadScoreRepository scores;
    private final LeadActivityRepository activities;
    private final StageTransitionRepository transitions;
    private final ModelCatalog catalog;
    private final RescoreJobs jobs;

    public ModelService(Pool pool, ScoringModelRepository models, LeadScoreRepository scores, LeadActivityRepository activities,
                        StageTransitionRepository transitions, ModelCatalog catalog, RescoreJobs jobs) {
        this.pool = pool;
        this.models = models;
        this.scores = scores;
        this.activities = activities;
        this.transitions = transitions;
        this.catalog = catalog;
        this.jobs = jobs;
    }

    /** Saves a new version of the named model (version 1 for a new name); a 422 names every invalid field. */
    public Uni<ScoringModel> create(String name, ModelDefinition definition, String actor) {
        requireValid(definition);
        return pool.withTransaction(tx -> models.latestVersion(tx, name).chain(latest -> {
            ScoringModel m = new ScoringModel();
            m.id = UUID.randomUUID();
            m.name = name;
            m.version = latest + 1;
            m.definition = catalog.toJson(definition);
            m.active = false;
            m.createdAt = ScoringService.now();
            m.createdBy = actor;
            return models.insert(tx, m).replaceWith(m);
        }));
    }

    public static void requireValid(ModelDefinition definition) {
        List<Problem.FieldError> errors = ModelValidator.validate(definition);
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors.stream()
                    .map(e -> new Problem.FieldError("model." + e.field(), e.message())).toList()));
        }
    }

    public Uni<List<ScoringModel>> list() {
        return pool.withConnection(models::all);
    }

    public Uni<ScoringModel> get(UUID id) {
        return pool.withConnection(c -> models.find(c, id)).onItem().ifNull().failWith(() -> ProblemException.notFound("no scoring model " + id));
    }

    /**
     * Makes the model the only active one and records the durable job that rescores every lead under it
     * ({@link RescoreJobs}), in one transaction; answers the model.
     */
    public Uni<ScoringModel> activate(UUID id) {
        return jobs.activate(id).chain(() -> pool.withConnection(c -> models.find(c, id)));
    }

    /** Replays a candidate model over the stored activity of [from, to) as it stood at {@code to}. */
    public Uni<Backtest.Result> backtest(ModelDefinition definition, Instant from, Instant to) {
        requireValid(definition);
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("to", "must be after from");
        }
        ScoringEngine engine = new ScoringEngine(definition);
        return pool.withConnection(c -> activities.between(c, from, to).chain(byLead -> {
            if (byLead.isEmpty()) {
                return Uni.createFrom().item(Backtest.summarise(List.of()));
            }
            UUID[] ids = byLead.keySet().toArray(UUID[]::new);
            return Uni.combine().all().unis(scores.find(c, ids), transitions.reached(c, ids)).asTuple().map(t -> {
                List<Backtest.LeadOutcome> outcomes = t.getItem1().stream().map(p -> {
                    ScoringEngine.Score s = engine.score(p.profile, byLead.get(p.leadId), to);
                    Set<Stage> stages = t.getItem2().getOrDefault(p.leadId, Set.of());
                    Boolean converted = stages.stream().anyMatch(CONVERTED::contains) ? Boolean.TRUE
                            : stages.contains(Stage.DISQUALIFIED) || stages.contains(Stage.RECYCLED) ? Boolean.FALSE : null;
                    return new Backtest.LeadOutcome(s.grade(), s.temperature(), s.mql().mql(), converted);
                }).toList();
                return Backtest.summarise(outcomes);
            });
        }));
    }
}
