package com.nova.auction.service;

import java.time.Duration;

/** Why a submitted lead was not taken; the REST layer answers each reason with its own problem. */
public class LeadRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The same person (e-mail or phone) was submitted within the duplicate window. */
        DUPLICATE_PERSON,
        /** The Idempotency-Key was used before for a different lead. */
        IDEMPOTENCY_KEY_REUSED,
        /** The decision ran out of time or lost a race; nothing was stored and the same request may be sent again. */
        NOT_DECIDED_IN_TIME,
        /** The phone number is not a US number. */
        INVALID_PHONE
    }

    private final Reason reason;
    private final Duration duplicateWindow;

    private LeadRefusedException(Reason reason, Duration duplicateWindow) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.duplicateWindow = duplicateWindow;
    }

    public static LeadRefusedException duplicatePerson(Duration window) {
        return new LeadRefusedException(Reason.DUPLICATE_PERSON, window);
    }

    public static LeadRefusedException of(Reason reason) {
        return new LeadRefusedException(reason, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The window a duplicate fell within ({@link Reason#DUPLICATE_PERSON} only). */
    public Duration duplicateWindow() {
        return duplicateWindow;
    }
}
