package io.leadplatform.scoring.rest;

import io.leadplatform.scoring.domain.LeadScore;
import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.service.ScoringService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A lead's score, stage and stage history, for marketing and sales. */
@Path("/api/scoring/leads/{leadId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scores")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "sales", "admin"})
public class ScoreResource {

    private final ScoringService scoring;

    public ScoreResource(ScoringService scoring) {
        this.scoring = scoring;
    }

    @GET
    @Operation(operationId = "getScore", summary = "A lead's fit, grade, engagement, temperature, stage and the contributions behind them")
    @APIResponse(responseCode = "200", description = "The score")
    @APIResponse(responseCode = "404", description = "Lead not (yet) scored", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing, sales or admin")
    public Uni<ScoreView> get(@PathParam("leadId") UUID leadId) {
        return scoring.get(leadId).map(ScoreView::of);
    }

    @GET
    @Path("/stages")
    @Operation(operationId = "getStageHistory", summary = "Every lifecycle transition of a lead, oldest first")
    @APIResponse(responseCode = "200", description = "The transitions")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing, sales or admin")
    public Uni<List<TransitionView>> stages(@PathParam("leadId") UUID leadId) {
        return scoring.history(leadId).map(list -> list.stream().map(TransitionView::of).toList());
    }

    public record ScoreView(UUID leadId, int fit, String grade, double engagement, String temperature, String stage,
                            String modelVersion, List<LeadScore.Contribution> contributions, Instant updatedAt) {
        static ScoreView of(LeadScore s) {
            return new ScoreView(s.leadId, s.fit, s.grade, s.engagement, s.temperature, s.stage.name(), s.modelVersion,
                    s.contributions, s.updatedAt);
        }
    }

    public record TransitionView(String from, String to, String reason, String actor, Instant changedAt) {
        static TransitionView of(StageTransition t) {
            return new TransitionView(t.fromStage == null ? null : t.fromStage.name(), t.toStage.name(), t.reason, t.actor, t.changedAt);
        }
    }
}
