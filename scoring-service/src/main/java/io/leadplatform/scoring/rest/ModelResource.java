package io.leadplatform.scoring.rest;

import io.leadplatform.scoring.domain.ScoringModel;
import io.leadplatform.scoring.service.ModelCatalog;
import io.leadplatform.scoring.service.ModelService;
import io.leadplatform.scoring.service.RescoreJobs;
import io.leadplatform.scoring.service.engine.Backtest;
import io.leadplatform.scoring.service.engine.ModelDefinition;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Scoring models for marketing: versioned, validated on save, exactly one active, backtested before the switch. */
@Path("/api/scoring/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class ModelResource {

    private final ModelService models;
    private final RescoreJobs jobs;
    private final ModelCatalog catalog;
    private final SecurityIdentity identity;

    public ModelResource(ModelService models, RescoreJobs jobs, ModelCatalog catalog, SecurityIdentity identity) {
        this.models = models;
        this.jobs = jobs;
        this.catalog = catalog;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createModel", summary = "Save a new version of a scoring model (version 1 for a new name); saved versions never change")
    @APIResponse(responseCode = "201", description = "Saved (inactive)", content = @Content(schema = @Schema(implementation = ModelView.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid model: every offending field is named", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> create(@NotNull @Valid CreateModelRequest request) {
        return models.create(request.name(), request.model(), identity.getPrincipal().getName())
                .map(m -> Response.created(URI.create("/api/scoring/models/" + m.id)).entity(view(m)).build());
    }

    @GET
    @Operation(operationId = "listModels", summary = "Every saved model version, by name and version")
    @APIResponse(responseCode = "200", description = "The models", content = @Content(schema = @Schema(implementation = ModelView.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<List<ModelView>> list() {
        return models.list().map(list -> list.stream().map(this::view).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getModel", summary = "One model version with its rules, bands and thresholds")
    @APIResponse(responseCode = "200", description = "The model", content = @Content(schema = @Schema(implementation = ModelView.class)))
    @APIResponse(responseCode = "404", description = "Unknown model", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<ModelView> get(@PathParam("id") UUID id) {
        return models.get(id).map(this::view);
    }

    @POST
    @Path("/{id}/activate")
    @Operation(operationId = "activateModel", summary = "Make this version the only active model; a durable job, shared by the replicas, rescores every lead (see rescore-status); a running job of an earlier activation is superseded")
    @APIResponse(responseCode = "200", description = "Active", content = @Content(schema = @Schema(implementation = ModelView.class)))
    @APIResponse(responseCode = "404", description = "Unknown model", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "Already active", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<ModelView> activate(@PathParam("id") UUID id) {
        return models.activate(id).map(this::view);
    }

    @GET
    @Path("/{id}/rescore-status")
    @Operation(operationId = "getRescoreStatus", summary = "Progress of the rescoring job of this model's latest activation, read from the database (any replica answers the same)")
    @APIResponse(responseCode = "200", description = "Progress", content = @Content(schema = @Schema(implementation = RescoreStatus.class)))
    @APIResponse(responseCode = "404", description = "Unknown model", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<RescoreStatus> rescoreStatus(@PathParam("id") UUID id) {
        return jobs.status(id).map(s -> new RescoreStatus(s.total(), s.done(), s.state(), s.startedAt(), s.finishedAt(), s.supersededBy(),
                s.chunks(), s.chunksDone(), s.chunksClaimed()));
    }

    @POST
    @Path("/backtest")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "backtestModel", summary = "Replay a candidate model over the stored activity of [from, to): would-be MQLs, grade and temperature distribution, conversion of would-be MQLs vs the rest")
    @APIResponse(responseCode = "200", description = "The replay's figures", content = @Content(schema = @Schema(implementation = Backtest.Result.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid model or period", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not marketing or admin", content = @Content(mediaType = "application/problem+json"))
    public Uni<Backtest.Result> backtest(@NotNull @Valid BacktestRequest request) {
        return models.backtest(request.model(), request.from(), request.to());
    }

    private ModelView view(ScoringModel m) {
        return new ModelView(m.id, m.name, m.version, m.active, m.createdAt, m.createdBy, catalog.definition(m));
    }

    public record CreateModelRequest(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be 1-63 lowercase letters, digits or dashes") String name,
            @NotNull ModelDefinition model) {
    }

    public record BacktestRequest(@NotNull ModelDefinition model, @NotNull Instant from, @NotNull Instant to) {
    }

    public record ModelView(UUID id, String name, int version, boolean active, Instant createdAt, String createdBy, ModelDefinition model) {
    }

    /**
     * A rescoring job's progress: leads to rescore and done (a lead already on the model counts as done), state idle
     * (never activated), running, done or superseded (a newer activation took over; done stays below total), and its
     * chunks: all, done, and claimed by a worker right now.
     */
    public record RescoreStatus(long total, long done,
                                @Schema(enumeration = {"idle", "running", "done", "superseded"}) String state,
                                Instant startedAt, Instant finishedAt,
                                @Schema(description = "name@version of the model whose activation superseded this job") String supersededBy,
                                long chunks, long chunksDone, long chunksClaimed) {
    }
}
