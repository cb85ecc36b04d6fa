package com.nova.kit.problem;

import java.util.List;
import java.util.Map;

/**
 * A failure the service chose to report: a status, a stable type slug and a human detail safe to
 * show to the caller. Thrown by services and turned into problem+json by {@link ProblemMappers}.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String slug;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(int status, String slug, String detail) {
        this(status, slug, detail, null, Map.of());
    }

    public ProblemException(int status, String slug, String detail, List<Problem.FieldError> errors,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.errors = errors;
        this.headers = headers == null ? Map.of() : headers;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", what + " was not found");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", detail);
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(409, slug, detail);
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(400, slug, detail);
    }

    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(400, "validation-failed", "The request has invalid fields",
                List.of(new Problem.FieldError(field, message)), Map.of());
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
