package com.nova.auction.service;

/** What a compliance check concluded: pass, reject (the lead's fault) or unavailable (a provider's). */
public record Verdict(Kind kind, String reason) {

    public enum Kind {
        PASS,
        REJECT,
        UNAVAILABLE
    }

    public static final Verdict PASS = new Verdict(Kind.PASS, null);

    public static Verdict reject(String reason) {
        return new Verdict(Kind.REJECT, reason);
    }

    public static Verdict unavailable(String reason) {
        return new Verdict(Kind.UNAVAILABLE, reason);
    }

    /** Both must pass; a rejection wins over an outage (the lead fails whatever the other says). */
    public Verdict and(Verdict other) {
        if (kind == Kind.REJECT) {
            return this;
        }
        if (other.kind == Kind.REJECT) {
            return other;
        }
        return kind == Kind.UNAVAILABLE ? this : other;
    }
}
