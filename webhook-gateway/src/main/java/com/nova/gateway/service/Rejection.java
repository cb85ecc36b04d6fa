package com.nova.gateway.service;

/**
 * A delivery refused for a reason the sender caused. Carries the reason code recorded for
 * operators; the answer to the sender says less (nothing that helps a forger).
 */
public class Rejection extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a delivery was refused; the answer's status follows from it in {@code rest.WebhookProblems}. */
    public enum Reason {
        MISSING_SIGNATURE("missing_signature"),
        BAD_SIGNATURE("bad_signature"),
        STALE("stale"),
        FUTURE("future"),
        UNKNOWN_BUYER("unknown_buyer"),
        NOT_CONFIGURED("not_configured"),
        MALFORMED("malformed"),
        UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
        TOO_LARGE("too_large");

        /** As recorded in rejected_delivery and counted in gateway_deliveries_total. */
        public final String code;

        Reason(String code) {
            this.code = code;
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
