package com.nova.auction.service;

import java.time.OffsetDateTime;

import com.nova.auction.LeadRecord;

/**
 * One attempt at deciding a lead: its first submission (the publisher's, timed at the lead's
 * arrival, the lead not stored yet) or a recheck of a held lead (this service's, timed as it goes).
 */
record Attempt(Kind kind, String actor, OffsetDateTime now) {

    enum Kind {
        /** The lead arrives: it is inserted, and claims its person. */
        FIRST_SUBMISSION,
        /** A held lead is checked again: it is updated from HELD, if no other instance decided it meanwhile. */
        RECHECK
    }

    static Attempt firstSubmissionOf(LeadRecord draft) {
        return new Attempt(Kind.FIRST_SUBMISSION, draft.publisherId(), draft.createdAt());
    }

    static Attempt recheckAt(OffsetDateTime now) {
        return new Attempt(Kind.RECHECK, LeadIntake.SYSTEM_ACTOR, now);
    }

    boolean isFirstSubmission() {
        return kind == Kind.FIRST_SUBMISSION;
    }

    /** The attempt at a later step: a first submission keeps its arrival time, a recheck takes {@code later}. */
    Attempt at(OffsetDateTime later) {
        return isFirstSubmission() ? this : new Attempt(kind, actor, later);
    }
}
