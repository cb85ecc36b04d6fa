package com.nova.kit.logging;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A stand-in for a logged exception whose messages went through {@link PiiRedactor}: it prints
 * the original class name, the redacted message and the original stack trace, cause and suppressed.
 */
public final class RedactedThrowable extends Throwable {

    private static final long serialVersionUID = 1L;
    private static final int MAX_DEPTH = 32;

    private final String originalClassName;

    private RedactedThrowable(Throwable original) {
        super(PiiRedactor.redact(original.getMessage()));
        this.originalClassName = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    public static Throwable of(Throwable original) {
        return copy(original, new IdentityHashMap<>(), 0);
    }

    private static RedactedThrowable copy(Throwable original, Map<Throwable, RedactedThrowable> seen, int depth) {
        RedactedThrowable known = seen.get(original);
        if (known != null) {
            return known;
        }
        RedactedThrowable copy = new RedactedThrowable(original);
        seen.put(original, copy);
        if (depth < MAX_DEPTH) {
            Throwable cause = original.getCause();
            if (cause != null && cause != original) {
                copy.initCause(copy(cause, seen, depth + 1));
            }
            for (Throwable suppressed : original.getSuppressed()) {
                copy.addSuppressed(copy(suppressed, seen, depth + 1));
            }
        }
        return copy;
    }

    public String originalClassName() {
        return originalClassName;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? originalClassName : originalClassName + ": " + message;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
