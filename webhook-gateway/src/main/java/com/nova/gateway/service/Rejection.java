package com.nova.gateway.service;

/**
 * A delivery refused for a reason the sender caused. Carries the reason code recorded for
 * operators; the answer to the sender says less (nothing that helps a forger).
 */
public class Rejection extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Reason codes as recorded and counted. */
    public enum Reason {
        MISSING_SIGNATURE("missing_signature", 401),
        BAD_SIGNATURE("bad_signature", 401),
        STALE("stale", 401),
        FUTURE("future", 401),
        UNKNOWN_BUYER("unknown_buyer", 401),
        NOT_CONFIGURED("not_configured", 503),
        MALFORMED("malformed", 400),
        UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
        TOO_LARGE("too_large", 413);

        public final String code;
        public final int status;

        Reason(String code, int status) {
            this.code = code;
            this.status = status;
        }
    }

    private final Reason reason;
    private final String eventId;

    public Rejection(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public Rejection(Reason reason, String detail, String eventId) {
        super(detail, null, false, false);
        this.reason = reason;
        this.eventId = eventId;
    }

    public Reason reason() {
        return reason;
    }

    public String eventId() {
        return eventId;
    }

    public Rejection withEventId(String id) {
        return eventId != null || id == null ? this : new Rejection(reason, getMessage(), id);
    }
}
