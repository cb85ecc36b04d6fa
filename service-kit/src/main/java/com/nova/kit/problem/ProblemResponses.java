package com.nova.kit.problem;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestResponse;

import com.nova.kit.requestid.RequestIds;

/** Builds problem+json responses with the stable title of each status. */
public final class ProblemResponses {

    private static final Map<Integer, String> SLUGS = Map.ofEntries(
            Map.entry(400, "bad-request"), Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"), Map.entry(405, "method-not-allowed"), Map.entry(406, "not-acceptable"),
            Map.entry(408, "request-timeout"), Map.entry(409, "conflict"), Map.entry(413, "payload-too-large"),
            Map.entry(415, "unsupported-media-type"), Map.entry(422, "unprocessable-content"),
            Map.entry(429, "too-many-requests"), Map.entry(500, "internal-error"),
            Map.entry(502, "bad-gateway"), Map.entry(503, "service-unavailable"), Map.entry(504, "gateway-timeout"));

    private static final Map<Integer, String> DETAILS = Map.ofEntries(
            Map.entry(400, "The request could not be understood"),
            Map.entry(401, "Authentication is required: present a valid bearer token"),
            Map.entry(403, "You are not allowed to do this"),
            Map.entry(404, "No such resource"),
            Map.entry(405, "This method is not allowed on this resource"),
            Map.entry(406, "No acceptable representation is available"),
            Map.entry(409, "The request conflicts with the current state"),
            Map.entry(413, "The request body is too large"),
            Map.entry(415, "This media type is not supported here"),
            Map.entry(429, "Too many requests: retry later"),
            Map.entry(500, "An unexpected error occurred; quote the request id when reporting it"),
            Map.entry(503, "The service is temporarily unavailable; retry later"));

    private ProblemResponses() {
    }

    public static String slugFor(int status) {
        return SLUGS.getOrDefault(status, status >= 500 ? "internal-error" : "bad-request");
    }

    public static String defaultDetail(int status) {
        return DETAILS.getOrDefault(status, Response.Status.fromStatusCode(status) == null
                ? "Request failed"
                : Response.Status.fromStatusCode(status).getReasonPhrase());
    }

    public static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return status == 422 ? "Unprocessable Content" : "Error";
    }

    public static Problem problem(int status, String slug, String detail, String instance, List<Problem.FieldError> errors) {
        return new Problem(Problem.type(slug), title(status), status, detail, instance, RequestIds.current(),
                errors == null || errors.isEmpty() ? null : errors);
    }

    public static RestResponse<Problem> response(Problem problem, Map<String, String> headers) {
        RestResponse.ResponseBuilder<Problem> builder = RestResponse.ResponseBuilder
                .<Problem> create(problem.status())
                .entity(problem)
                .type(Problem.MEDIA_TYPE);
        headers.forEach(builder::header);
        return builder.build();
    }
}
