package io.leadplatform.scoring.rest;

import io.leadplatform.scoring.domain.StageTransition;
import io.leadplatform.scoring.service.LifecycleService;
import io.leadplatform.scoring.service.ScoringService;
import io.leadplatform.scoring.service.engine.Bant;
import io.leadplatform.scoring.service.engine.ScoringEngine;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A lead's explained score and stage history (marketing, sales), and sales' lifecycle moves (BANT, reject, opportunity, deal). */
@Path("/api/scoring/leads/{leadId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scores")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "sales", "admin"})
public class ScoreResource {

    private final ScoringService scoring;
    private final LifecycleService lifecycle;
    private final SecurityIdentity identity;

    public ScoreResource(ScoringService scoring, LifecycleService lifecycle, SecurityIdentity identity) {
        this.scoring = scoring;
        this.lifecycle = lifecycle;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getScore", summary = "A lead's fit and grade, engagement decayed to now and temperature, stage, whether it is an MQL and why, and the contribution of every rule and event")
    @APIResponse(responseCode = "200", description = "The score", content = @Content(schema = @Schema(implementation = ScoreView.class)))
    @APIResponse(responseCode = "404", description = "Lead not (yet) scored", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing, sales or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<ScoreView> get(@PathParam("leadId") UUID leadId) {
        return scoring.explain(leadId).map(ScoreView::of);
    }

    @GET
    @Path("/stages")
    @Operation(operationId = "getStageHistory", summary = "Every lifecycle transition of a lead, oldest first")
    @APIResponse(responseCode = "200", description = "The transitions")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing, sales or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<List<TransitionView>> stages(@PathParam("leadId") UUID leadId) {
        return scoring.history(leadId).map(list -> list.stream().map(TransitionView::of).toList());
    }

    @POST
    @Path("/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"sales", "admin"})
    @Operation(operationId = "acceptLead", summary = "Sales accept an MQL as SQL with BANT (budget, authority, need, timing); the configured rule decides (default: 3 of 4 met)")
    @APIResponse(responseCode = "200", description = "Now SQL", content = @Content(schema = @Schema(implementation = TransitionView.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "The lead is not an MQL", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "BANT does not pass: each criterion not met is named", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not sales or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<TransitionView> accept(@PathParam("leadId") UUID leadId, @NotNull @Valid BantRequest request) {
        Bant bant = new Bant(request.budget().toCriterion(), request.authority().toCriterion(), request.need().toCriterion(),
                request.timing().toCriterion());
        return lifecycle.accept(leadId, bant, actor()).map(TransitionView::of);
    }

    @POST
    @Path("/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"sales", "admin"})
    @Operation(operationId = "rejectLead", summary = "Sales reject a lead: recycle (back to nurturing) or disqualify")
    @APIResponse(responseCode = "200", description = "Now RECYCLED or DISQUALIFIED", content = @Content(schema = @Schema(implementation = TransitionView.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "Not allowed from the lead's stage", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid reason code", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not sales or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<TransitionView> reject(@PathParam("leadId") UUID leadId, @NotNull @Valid RejectRequest request) {
        return lifecycle.reject(leadId, request.reasonCode(), request.note(), actor()).map(TransitionView::of);
    }

    @POST
    @Path("/opportunity")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"sales", "admin"})
    @Operation(operationId = "openOpportunity", summary = "Sales open an opportunity for an SQL")
    @APIResponse(responseCode = "200", description = "Now OPPORTUNITY", content = @Content(schema = @Schema(implementation = TransitionView.class)))
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "The lead is not an SQL", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not sales or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<TransitionView> opportunity(@PathParam("leadId") UUID leadId, @Valid OpportunityRequest request) {
        return lifecycle.opportunity(leadId, request == null ? null : request.note(), actor()).map(TransitionView::of);
    }

    @POST
    @Path("/deal")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"sales", "admin"})
    @Operation(operationId = "closeDeal", summary = "Close the opportunity's deal won (→ CUSTOMER) or lost (→ RECYCLED); emits deal.closed")
    @APIResponse(responseCode = "200", description = "Closed", content = @Content(schema = @Schema(implementation = LifecycleService.DealClosed.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "The lead is not an OPPORTUNITY", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid fields", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not sales or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<LifecycleService.DealClosed> deal(@PathParam("leadId") UUID leadId, @NotNull @Valid DealRequest request) {
        return lifecycle.deal(leadId, request.outcome(), request.revenue(), request.grossMargin(), request.currency(), actor());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    public record CriterionRequest(@NotNull Boolean met, @Size(max = 1000) String note) {
        Bant.Criterion toCriterion() {
            return new Bant.Criterion(met, note);
        }
    }

    public record BantRequest(@NotNull @Valid CriterionRequest budget, @NotNull @Valid CriterionRequest authority,
                              @NotNull @Valid CriterionRequest need, @NotNull @Valid CriterionRequest timing) {
    }

    public record RejectRequest(@NotNull @Pattern(regexp = "recycle|disqualify", message = "must be recycle or disqualify") String reasonCode,
                                @Size(max = 1000) String note) {
    }

    public record OpportunityRequest(@Size(max = 1000) String note) {
    }

    public record DealRequest(@NotNull @Pattern(regexp = "won|lost", message = "must be won or lost") String outcome,
                              @NotNull @DecimalMin(value = "0", message = "must not be negative") BigDecimal revenue,
                              @NotNull BigDecimal grossMargin,
                              @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    /** Whether the lead is an MQL under its model and which threshold passes or fails. */
    public record MqlView(boolean qualifies, boolean gradePasses, boolean engagementPasses, String minGrade, double minEngagement,
                          String reason) {
    }

    /** One flattened contribution (as in lead.scored). */
    public record ContributionView(String rule, String kind, double points, String reason) {
    }

    public record ScoreView(UUID leadId, int fit, String grade, double engagement, String temperature, String stage,
                            String modelVersion, UUID modelId, MqlView mql, List<ScoringEngine.FitContribution> fitRules,
                            List<ScoringEngine.RuleContribution> engagementRules, List<UUID> ignoredBotEvents,
                            List<ContributionView> contributions, Instant scoredAt, Instant updatedAt) {
        static ScoreView of(ScoringService.Explanation e) {
            ScoringEngine.Score s = e.now();
            List<ContributionView> flat = new ArrayList<>();
            s.fitContributions().forEach(f -> flat.add(new ContributionView(f.rule(), "fit", f.points(), f.description())));
            s.engagementContributions().forEach(r -> flat.add(new ContributionView(r.rule(), "engagement", r.points(), r.description())));
            var mql = new MqlView(s.mql().mql(), s.mql().gradePasses(), s.mql().engagementPasses(), e.definition().mql().minGrade(),
                    e.definition().mql().minEngagement(), s.mql().reason());
            return new ScoreView(e.stored().leadId, s.fit(), s.grade(), s.engagement(), s.temperature(), e.stored().stage.name(),
                    e.model().label(), e.model().id, mql, s.fitContributions(), s.engagementContributions(), s.ignoredBotEvents(),
                    flat, s.scoredAt(), e.stored().updatedAt);
        }
    }

    public record TransitionView(String from, String to, String reason, String actor, Instant changedAt) {
        static TransitionView of(StageTransition t) {
            return new TransitionView(t.fromStage == null ? null : t.fromStage.name(), t.toStage.name(), t.reason, t.actor, t.changedAt);
        }
    }
}
