package com.nova.kit.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. {@code type} is stable and machine readable, {@code detail} is for
 * people; neither ever carries a stack trace, class name or SQL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String requestId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:nova:problem:";

    /** One invalid input field: where it is and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    public static String type(String slug) {
        return TYPE_PREFIX + slug;
    }
}
