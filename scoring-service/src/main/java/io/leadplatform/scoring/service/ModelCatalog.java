package io.leadplatform.scoring.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.scoring.domain.ScoringModel;
import io.leadplatform.scoring.repository.ScoringModelRepository;
import io.leadplatform.scoring.service.engine.ModelDefinition;
import io.leadplatform.scoring.service.engine.ScoringEngine;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Models as engines. Saved models never change, so each is parsed and compiled once per instance. */
@ApplicationScoped
public class ModelCatalog {

    private final ScoringModelRepository models;
    private final ObjectMapper mapper;
    private final Map<UUID, ScoringEngine> engines = new ConcurrentHashMap<>();

    public ModelCatalog(ScoringModelRepository models, ObjectMapper mapper) {
        this.models = models;
        this.mapper = mapper;
    }

    /** The active model, read on {@code c}. */
    public Uni<ScoringModel> active(SqlClient c) {
        return models.active(c).onItem().ifNull().failWith(() -> new IllegalStateException("no active scoring model"));
    }

    public ScoringEngine engine(ScoringModel model) {
        return engines.computeIfAbsent(model.id, id -> new ScoringEngine(definition(model)));
    }

    public ModelDefinition definition(ScoringModel model) {
        try {
            return mapper.readValue(model.definition, ModelDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored model " + model.id + " is not readable", e);
        }
    }

    public String toJson(ModelDefinition definition) {
        try {
            return mapper.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
