package com.nova.fault;

/**
 * One logical request of a sender (a Stripe event, a redemption, a lead, a buyer's outcome), with
 * everything its retries repeat and what the answer that acknowledged it said.
 */
final class Op {

    enum Kind {
        PAYMENT, REDEMPTION, LEAD, RETURN, SETUP
    }

    final Kind kind;
    final String phase;
    /** The payment id, Idempotency-Key or webhook id: what every retry repeats. */
    final String key;
    final String driver;
    final long amount;
    /** Leads and returns: the lead id and the buyer it sold to (from the acknowledging answer for a lead). */
    volatile String leadId;
    volatile String buyerId;
    volatile String price;
    volatile String leadStatus;

    volatile int attempts;
    volatile int status;
    volatile String body;
    volatile boolean acknowledged;
    /** A final answer that is not an acknowledgement (a 4xx the sender does not retry). */
    volatile boolean refused;
    volatile String lastError;

    Op(Kind kind, String phase, String key, String driver, long amount) {
        this.kind = kind;
        this.phase = phase;
        this.key = key;
        this.driver = driver;
        this.amount = amount;
    }

    boolean settled() {
        return acknowledged || refused;
    }

    @Override
    public String toString() {
        return kind + " " + key + " (" + phase + ", " + attempts + " attempts, last " + status + " " + lastError + ")";
    }
}
