package com.nova.kit.events;

/** An entry that can never be handled (malformed, unknown version, impossible data): dead-letter it now. */
public class PoisonEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PoisonEventException(String message) {
        super(message, null, false, false);
    }
}
