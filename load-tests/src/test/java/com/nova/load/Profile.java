package com.nova.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import java.util.List;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;

/**
 * The open-model load of a run: arrivals per second ramp up to {@code load.rate} over
 * {@code load.ramp}, then hold for {@code load.duration}, whatever the service's latency (closed
 * loops slow down with the service and hide its knee). And the pass/fail line of a run.
 */
final class Profile {

    private Profile() {
    }

    /** The injection for a population that takes {@code share} of the arrivals. */
    static OpenInjectionStep[] arrivals(double share) {
        double rate = Math.max(0.1, LoadSettings.rate() * share);
        if (LoadSettings.ramp().isZero()) {
            return new OpenInjectionStep[] { constantUsersPerSec(rate).during(LoadSettings.duration()) };
        }
        return new OpenInjectionStep[] { rampUsersPerSec(Math.min(1, rate)).to(rate).during(LoadSettings.ramp()),
                constantUsersPerSec(rate).during(LoadSettings.duration()) };
    }

    /**
     * The seeds' launch floor is p95 under 500 ms at 100 requests/s; each simulation passes its own
     * figures (tighter where the journey is cheap), and a run fails on any of them, or when it sent
     * nothing at all (which would meet every latency limit).
     */
    static List<Assertion> assertions(int p95Millis, int p99Millis, double maxErrorPercent) {
        return List.of(global().allRequests().count().gt(0L),
                global().responseTime().percentile(95.0).lt(LoadSettings.p95Millis(p95Millis)),
                global().responseTime().percentile(99.0).lt(LoadSettings.p99Millis(p99Millis)),
                global().failedRequests().percent().lte(LoadSettings.maxErrorPercent(maxErrorPercent)));
    }
}
