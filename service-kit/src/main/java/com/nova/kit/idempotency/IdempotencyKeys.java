package com.nova.kit.idempotency;

import java.util.Map;

import org.jboss.resteasy.reactive.RestResponse;

import com.nova.kit.problem.ProblemException;
import com.nova.kit.text.Digests;

/**
 * The {@code Idempotency-Key} contract every writing endpoint shares: the key a client must send,
 * the hash that tells a retry from another request under the same key, and how a replayed answer
 * is marked.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    /** Set on an answer that repeats the one stored for the key. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final String PATTERN = "[A-Za-z0-9_.:\\-]{8,128}";

    private IdempotencyKeys() {
    }

    /**
     * The key, or 400 naming the header when it is missing or malformed; {@code per} says what it
     * must be unique for ("per lead", "per intended operation").
     */
    public static String require(String key, String per) {
        if (key == null || !key.matches(PATTERN)) {
            throw ProblemException.invalidField(HEADER, "is required: 8 to 128 letters, digits or . _ : -, unique " + per);
        }
        return key;
    }

    /** The request's identity under its key: the same parts hash the same, any other request differently. */
    public static String requestHash(String... parts) {
        return Digests.sha256HexOfParts(parts);
    }

    /** 422: the key was used for a different {@code what}. */
    public static ProblemException reused(String what) {
        return new ProblemException(422, "idempotency-key-reused", "This Idempotency-Key was used for a different " + what);
    }

    /** The headers of an answer: the replay marker when it repeats a stored one. */
    public static Map<String, String> headers(boolean replayed) {
        return replayed ? Map.of(REPLAYED_HEADER, "true") : Map.of();
    }

    /** Marks the response as a replay when it is one. */
    public static <T> RestResponse.ResponseBuilder<T> mark(RestResponse.ResponseBuilder<T> response, boolean replayed) {
        return replayed ? response.header(REPLAYED_HEADER, "true") : response;
    }
}
