package io.leadplatform.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.leadplatform.common.persistence.DatabaseFailures;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Maps every failure to RFC 9457 problem details; an unreachable database or a bounded wait that ran out
 * to a 503 with Retry-After (retry later), other unexpected failures to a 500 without internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return e.problem().withInstance(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .sorted((a, b) -> a.getPropertyPath().toString().compareTo(b.getPropertyPath().toString()))
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .collect(Collectors.toList());
        return Problem.invalid(errors).withInstance(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = null;
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        if (field != null && e instanceof InvalidFormatException) {
            return Problem.invalid(List.of(new Problem.FieldError(field, "has the wrong type or format")))
                    .withInstance(uri.getPath()).toResponse();
        }
        String detail = field != null ? "field '" + field + "' has the wrong type" : "the body is not valid JSON";
        return Problem.of(400, "Malformed request body", detail).withInstance(uri.getPath()).toResponse();
    }

    /** Quarkus maps this one itself (an empty 400) unless a mapper for the exact type exists. */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    /**
     * 415 and 406 come from Quarkus REST before the resource method (and its role check) is selected: a
     * caller who may not call any endpoint at that path and method gets 401/403 instead, so the
     * answer never tells an unauthorised caller which media types an endpoint takes.
     */
    @ServerExceptionMapper
    public Response unsupportedMediaType(jakarta.ws.rs.NotSupportedException e, UriInfo uri,
            jakarta.ws.rs.core.Request request) {
        return denialOr(e, uri, request);
    }

    @ServerExceptionMapper
    public Response notAcceptable(jakarta.ws.rs.NotAcceptableException e, UriInfo uri,
            jakarta.ws.rs.core.Request request) {
        return denialOr(e, uri, request);
    }

    private Response denialOr(WebApplicationException e, UriInfo uri, jakarta.ws.rs.core.Request request) {
        io.quarkus.security.identity.SecurityIdentity identity = io.quarkus.arc.Arc.container()
                .instance(io.quarkus.security.identity.CurrentIdentityAssociation.class).get().getIdentity();
        int denial = EndpointRoles.denial(request.getMethod(), uri.getPath(), identity);
        if (denial == 401) {
            return unauthorized(new io.quarkus.security.UnauthorizedException(), uri);
        }
        if (denial == 403) {
            return forbidden(new io.quarkus.security.ForbiddenException(), uri);
        }
        return web(e, uri);
    }

    /** A role check of a resource method (@RolesAllowed) that fails: 403 problem (Quarkus' own answer has no body). */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return Problem.of(403, "Forbidden", "your roles do not allow this request").withInstance(uri.getPath())
                .toResponse();
    }

    /** An anonymous caller on a resource method that needs a token: 401 problem with the Bearer challenge. */
    @ServerExceptionMapper
    public Response unauthorized(io.quarkus.security.UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(Problem.of(401, "Unauthorized", "a bearer token is required")
                .withInstance(uri.getPath()).toResponse()).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String title = Response.Status.fromStatusCode(status) != null ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        return Response.fromResponse(original).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, title, e.getMessage()).withInstance(uri.getPath()).toJson()).build();
    }

    /** Seconds a caller is asked to wait (Retry-After) when the database is unavailable. */
    static final int RETRY_AFTER_SECONDS = 5;

    /**
     * Anything else: a 503 problem with Retry-After when the database cannot be reached (down, restarting) or
     * a bounded wait timed out (the request may be repeated as it is), a 500 without internals otherwise.
     */
    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DatabaseFailures.unavailable(e)) {
            LOG.warnf("database unavailable on %s: %s", uri.getPath(), e.toString());
            return unavailable(uri, "the service's database is not reachable at the moment; retry later");
        }
        if (e instanceof io.smallrye.mutiny.TimeoutException) {
            // a bounded wait (e.g. a write the database did not answer in time) ran out: the request may be repeated
            LOG.warnf("timed out on %s", uri.getPath());
            return unavailable(uri, "the request could not be completed in time; retry later");
        }
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return Problem.of(500, "Internal error", "the request could not be completed; it was logged")
                .withInstance(uri.getPath()).toResponse();
    }

    private static Response unavailable(UriInfo uri, String detail) {
        return Response.fromResponse(Problem.of(503, "Service Unavailable", detail).withInstance(uri.getPath()).toResponse())
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private static String fieldName(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // method-parameter paths look like "submit.body.email": keep what names the field
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : parts[parts.length - 1];
    }
}
