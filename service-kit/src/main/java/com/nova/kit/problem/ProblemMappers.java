package com.nova.kit.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Every error the REST layer can produce, as problem+json. Mapped by type, most specific first;
 * unknown failures become a generic 500 whose detail names nothing internal.
 */
public class ProblemMappers {

    private static final Map<String, String> BEARER = Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer");

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e, UriInfo uri) {
        return ProblemResponses.response(
                ProblemResponses.problem(e.status(), e.slug(), e.getMessage(), path(uri), e.errors()), e.headers());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .collect(Collectors.toList());
        return ProblemResponses.response(ProblemResponses.problem(400, "validation-failed",
                "The request has invalid fields", path(uri), errors), Map.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unrecognizedField(UnrecognizedPropertyException e, UriInfo uri) {
        return ProblemResponses.response(ProblemResponses.problem(400, "validation-failed",
                "The request has invalid fields", path(uri),
                List.of(new Problem.FieldError(jsonPath(e), "is not a known field"))), Map.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return badJson(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> jsonMapping(JsonMappingException e, UriInfo uri) {
        return badJson(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> malformedJson(JsonProcessingException e, UriInfo uri) {
        return ProblemResponses.response(ProblemResponses.problem(400, "malformed-body",
                "The request body is not well-formed JSON", path(uri), null), Map.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unauthorized(UnauthorizedException e, UriInfo uri) {
        return ProblemResponses.response(ProblemResponses.problem(401, "unauthorized",
                ProblemResponses.defaultDetail(401), path(uri), null), BEARER);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return ProblemResponses.response(ProblemResponses.problem(401, "unauthorized",
                ProblemResponses.defaultDetail(401), path(uri), null), BEARER);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.response(ProblemResponses.problem(403, "forbidden",
                ProblemResponses.defaultDetail(403), path(uri), null), Map.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e, UriInfo uri) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof JsonMappingException mapping) {
                return badJson(mapping, uri);
            }
            if (cause instanceof JsonProcessingException) {
                return malformedJson((JsonProcessingException) cause, uri);
            }
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status == 404 && isConversionFailure(e.getCause())) {
            // JAX-RS answers 404 when a query or path parameter does not convert (e.g. limit=abc):
            // the resource exists, the request is malformed.
            return ProblemResponses.response(ProblemResponses.problem(400, "validation-failed",
                    "A parameter has a value of the wrong type", path(uri), null), Map.of());
        }
        if (status >= 500) {
            Log.error("Request failed", e);
        }
        return ProblemResponses.response(ProblemResponses.problem(status, ProblemResponses.slugFor(status),
                ProblemResponses.defaultDetail(status), path(uri), null), Map.of());
    }

    /**
     * Text PostgreSQL cannot store (a NUL character, an invalid byte sequence) is the caller's
     * mistake, not ours: 400, wherever validation let it through.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> unstorableText(io.vertx.pgclient.PgException e, UriInfo uri) {
        if ("22021".equals(e.getSqlState()) || "22P05".equals(e.getSqlState())) {
            return ProblemResponses.response(ProblemResponses.problem(400, "validation-failed",
                    "The request contains characters that cannot be stored (e.g. NUL)", path(uri), null), Map.of());
        }
        if (com.nova.kit.sql.Transactions.isConnectionLost(e)) {
            return connectionLost(e, uri);
        }
        if (com.nova.kit.sql.Transactions.isTransient(e)) {
            // Rolled back whole (time budget, lock or serialization race): the same request may be sent again.
            Log.warnf("Transaction rolled back, answering 503: %s", e.getSqlState());
            return ProblemResponses.response(ProblemResponses.problem(503, "try-again",
                    "The request could not be completed in time and nothing was changed; send it again",
                    path(uri), null), Map.of(HttpHeaders.RETRY_AFTER, "1"));
        }
        return unexpected(e, uri);
    }

    private static RestResponse<Problem> connectionLost(Throwable e, UriInfo uri) {
        // Not the 500 of a fault: the outage is the database's (or Redis'), and the request can be sent again.
        Log.warnf("Connection lost or refused, answering 503: %s", e.getMessage());
        return ProblemResponses.response(ProblemResponses.problem(503, "unavailable",
                "The service cannot reach a system it depends on right now; send the same request again (with the same Idempotency-Key)",
                path(uri), null), Map.of(HttpHeaders.RETRY_AFTER, "2"));
    }

    private static boolean isConversionFailure(Throwable cause) {
        for (Throwable c = cause; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof IllegalArgumentException || c instanceof java.time.DateTimeException) {
                return true;
            }
        }
        return false;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        if (com.nova.kit.sql.BoundedPool.isExhausted(e)) {
            // Every database connection was busy past the wait limit: a fast, retryable answer instead of a hang.
            Log.warnf("No database connection in time, answering 503: %s", e.getMessage());
            return ProblemResponses.response(ProblemResponses.problem(503, "busy",
                    "The service is busy right now and nothing was changed; retry shortly", path(uri), null),
                    Map.of(HttpHeaders.RETRY_AFTER, "1"));
        }
        if (com.nova.kit.sql.Transactions.isConnectionLost(e)) {
            return connectionLost(e, uri);
        }
        Log.error("Unhandled failure", e);
        return ProblemResponses.response(ProblemResponses.problem(500, "internal-error",
                ProblemResponses.defaultDetail(500), path(uri), null), Map.of());
    }

    private RestResponse<Problem> badJson(JsonMappingException e, UriInfo uri) {
        String field = jsonPath(e);
        if (field.isEmpty()) {
            return ProblemResponses.response(ProblemResponses.problem(400, "malformed-body",
                    "The request body does not have the expected shape", path(uri), null), Map.of());
        }
        return ProblemResponses.response(ProblemResponses.problem(400, "validation-failed",
                "The request has invalid fields", path(uri),
                List.of(new Problem.FieldError(field, "has an invalid value or type"))), Map.of());
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The field as the client named it: body properties without the method and parameter names. */
    static String fieldOf(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR
                    || node.getKind() == ElementKind.RETURN_VALUE || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            boolean bodyParameter = node.getKind() == ElementKind.PARAMETER && i + 1 < nodes.size();
            if (bodyParameter) {
                continue;
            }
            String name = node.getName();
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT && !names.isEmpty()) {
                // An element of a list or map field: "states[1]", not "states.<list element>[1]".
                String owner = names.remove(names.size() - 1);
                names.add(owner + (node.getIndex() != null ? "[" + node.getIndex() + "]"
                        : node.getKey() != null ? "[" + node.getKey() + "]" : ""));
                continue;
            }
            if (name == null) {
                continue;
            }
            if (node.getIndex() != null) {
                name = name + "[" + node.getIndex() + "]";
            } else if (node.getKey() != null) {
                name = name + "[" + node.getKey() + "]";
            }
            names.add(name);
        }
        return names.isEmpty() ? "body" : String.join(".", names);
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
