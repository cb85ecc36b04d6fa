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
        INVALID_PHONE,
        /** The post names a ping the publisher does not have. */
        PING_NOT_FOUND,
        /** The post's vertical, ZIP or state is not its ping's ({@link #detail()} names it). */
        PING_MISMATCH,
        /** Another post used the ping. */
        PING_USED,
        /** The ping expired unused ({@link #detail()}: when). */
        PING_EXPIRED,
        /** Nobody bid on the ping. */
        PING_NOT_PRICED
    }

    private final Reason reason;
    private final Duration duplicateWindow;
    private final String detail;

    private LeadRefusedException(Reason reason, Duration duplicateWindow, String detail) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.duplicateWindow = duplicateWindow;
        this.detail = detail;
    }

    public static LeadRefusedException ping(Reason reason, String detail) {
        return new LeadRefusedException(reason, null, detail);
    }

    /** What a ping refusal names (the field that differs, or when the ping expired). */
    public String detail() {
        return detail;
    }

    public static LeadRefusedException duplicatePerson(Duration window) {
        return new LeadRefusedException(Reason.DUPLICATE_PERSON, window, null);
    }

    public static LeadRefusedException of(Reason reason) {
        return new LeadRefusedException(reason, null, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The window a duplicate fell within ({@link Reason#DUPLICATE_PERSON} only). */
    public Duration duplicateWindow() {
        return duplicateWindow;
    }
}
