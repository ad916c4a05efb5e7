package io.leadplatform.scoring.domain;

import java.time.Instant;
import java.util.UUID;

/** One recorded lifecycle transition (a row of {@code stage_transition}): the funnel KPIs come from this log. */
public class StageTransition {

    public UUID leadId;

    public Stage fromStage;

    public Stage toStage;

    public String reason;

    public String actor;

    public Instant changedAt;
}
