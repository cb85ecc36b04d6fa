package com.nova.kit.ratelimit;

/** The outcome of one rate-limit check, with what the RateLimit-* headers report. */
public record Decision(boolean allowed, int limit, int remaining, long retryAfterMillis, long resetMillis) {
}
