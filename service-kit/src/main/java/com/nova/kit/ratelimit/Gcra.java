package com.nova.kit.ratelimit;

/**
 * The generic cell rate algorithm, shared by the Redis script and the in-memory limiter: a request
 * is allowed when the theoretical arrival time (TAT) is no more than one period ahead of now.
 */
public final class Gcra {

    private Gcra() {
    }

    /** The new TAT and the decision, given the stored TAT (or null) and the current time in ms. */
    public static Result check(Long storedTat, long nowMillis, int limit, long periodMillis) {
        double interval = (double) periodMillis / limit;
        double tat = storedTat == null ? nowMillis : Math.max(storedTat, nowMillis);
        double newTat = tat + interval;
        double allowAt = newTat - periodMillis;
        if (nowMillis < allowAt) {
            int remaining = (int) Math.max(0, Math.floor((periodMillis - (tat - nowMillis)) / interval));
            return new Result(storedTat, new Decision(false, limit, remaining, (long) Math.ceil(allowAt - nowMillis),
                    (long) Math.ceil(tat - nowMillis)));
        }
        int remaining = (int) Math.max(0, Math.floor((periodMillis - (newTat - nowMillis)) / interval));
        return new Result((long) Math.ceil(newTat), new Decision(true, limit, remaining, 0,
                (long) Math.ceil(newTat - nowMillis)));
    }

    public record Result(Long tat, Decision decision) {
    }
}
