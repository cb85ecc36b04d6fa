package com.nova.gateway.service;

/** One sending account used up its budget of verified deliveries; it may send again after {@code retryAfterSeconds}. */
public class AccountRateLimited extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public AccountRateLimited(long retryAfterSeconds) {
        super("Too many deliveries for this account", null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
