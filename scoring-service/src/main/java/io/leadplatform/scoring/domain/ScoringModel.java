package io.leadplatform.scoring.domain;

import java.time.Instant;
import java.util.UUID;

/** One saved version of a scoring model (a row of {@code scoring_model}); its definition (JSON) never changes after it is saved. */
public class ScoringModel {

    public UUID id;

    public String name;

    public int version;

    /** The {@link io.leadplatform.scoring.service.engine.ModelDefinition} as JSON. */
    public String definition;

    public boolean active;

    public Instant createdAt;

    public String createdBy;

    public String label() {
        return name + "@" + version;
    }
}
