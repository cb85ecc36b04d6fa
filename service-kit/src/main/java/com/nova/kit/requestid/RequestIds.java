package com.nova.kit.requestid;

import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.logging.MDC;

/** The request id carried by every request, log line, outgoing call and stream entry. */
public final class RequestIds {

    public static final String HEADER = "X-Request-ID";
    public static final String MDC_KEY = "requestId";

    /** Bounded and free of characters that could forge log lines or headers. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{7,127}");

    private RequestIds() {
    }

    /** The supplied id when it is well formed, a fresh UUID otherwise. */
    public static String acceptOrGenerate(String supplied) {
        return isWellFormed(supplied) ? supplied : UUID.randomUUID().toString();
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && WELL_FORMED.matcher(candidate).matches();
    }

    /** The id of the request or stream entry being handled on this context, or null outside one. */
    public static String current() {
        Object value = MDC.get(MDC_KEY);
        return value == null ? null : value.toString();
    }

    public static void bind(String requestId) {
        if (requestId == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, requestId);
        }
    }
}
