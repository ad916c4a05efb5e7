package io.leadplatform.capture.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.capture.service.TrackBatch;
import io.leadplatform.capture.service.TrackingService;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Public tracking endpoint: no token; it answers 202 and nothing about any lead. */
@Path("/api/capture/track")
@Tag(name = "tracking")
@PermitAll
public class TrackingResource {

    /** A full batch of 100 events with long URLs stays far below this. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);

    private final TrackingService tracking;
    private final ObjectMapper mapper;
    private final Validator validator;

    public TrackingResource(TrackingService tracking, ObjectMapper mapper, Validator validator) {
        this.tracking = tracking;
        this.mapper = mapper;
        this.validator = validator;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "track", summary = "Record a batch of website events (public, no token)",
            description = "Up to 100 events of one or more visitors. JSON, also sent as text/plain (navigator.sendBeacon). "
                    + "Activity of an anonymous visitor is kept per visitor id; activity of a visitor linked to a lead "
                    + "is emitted as lead.activity at once. Every page view of any visitor is emitted as website.activity "
                    + "(key = visitor id; session, channel, referrer host, UTM; no personal data). Requests are written "
                    + "together (group commit). The whole batch is validated before anything is stored.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrackBatch.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = TrackBatch.class))})
    @APIResponse(responseCode = "202", description = "Recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrackReceipt.class)))
    @APIResponse(responseCode = "400", description = "Malformed body", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "413", description = "Body over 256 KB", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "415", description = "Unsupported content type", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "422", description = "Invalid events", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> track(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw new ProblemException(Problem.of(400, "Malformed request body", "the body is empty"));
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new ProblemException(Problem.of(413, "Payload too large", "a tracking batch may be at most 256 KB"));
        }
        TrackBatch batch = mapper.readValue(body, TrackBatch.class);
        validate(batch);
        return tracking.track(batch.events())
                .map(count -> Response.accepted(new TrackReceipt(count)).build());
    }

    private void validate(TrackBatch batch) {
        if (batch == null) {
            throw new ProblemException(Problem.of(400, "Malformed request body", "the body is not a tracking batch"));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<TrackBatch> v : validator.validate(batch)) {
            errors.add(new Problem.FieldError(v.getPropertyPath().toString(), v.getMessage()));
        }
        if (batch.events() != null) {
            Instant latest = Instant.now().plus(CLOCK_SKEW);
            for (int i = 0; i < batch.events().size(); i++) {
                var event = batch.events().get(i);
                if (event != null && event.occurredAt() != null && event.occurredAt().isAfter(latest)) {
                    errors.add(new Problem.FieldError("events[" + i + "].occurredAt", "must not be in the future"));
                }
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(Problem.FieldError::field));
            throw new ProblemException(Problem.invalid(errors));
        }
    }

    /** What the tracker learns: how many events were recorded, nothing about any lead. */
    public record TrackReceipt(int recorded) {
    }
}
