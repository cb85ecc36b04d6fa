package com.nova.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How big a drill is: {@code -Dfault.profile=short} (CI's: a few faults, small load, shorter stream
 * reclaim timings so the drain takes seconds) or {@code full} (every fault, more load, the
 * services' production timings). Durations here shape the load; nothing is asserted on them: every
 * wait is for a condition, with a deadline generous enough for a slow machine.
 */
record Profile(String name, List<String> faults, double paymentsPerSecond, double redemptionsPerSecond,
        double leadsPerSecond, double returnShare, int drivers, Duration before, Duration outage, Duration cut, Duration after,
        Map<String, String> serviceSettings, Duration readyDeadline, Duration drainDeadline) {

    static Profile current() {
        String name = System.getProperty("fault.profile", "short");
        Profile p = switch (name) {
            case "short" -> new Profile("short",
                    List.of("redis-kill", "postgres-crash", "kill:auction-service:b", "partition-postgres:wallet-service:a",
                            "partition-redis:webhook-gateway:b", "drop-postgres:auction-service:a"),
                    6, 4, 2, 0.34, 20, Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(8), Duration.ofSeconds(4),
                    // Entries a dead or cut-off consumer held are reclaimed after 10 s instead of 30 s (the
                    // delivery lease stays shorter than that, and longer than a delivery's deadline).
                    Map.of("KIT_STREAMS_CLAIM_IDLE", "10s", "KIT_STREAMS_CLAIM_INTERVAL", "2s",
                            "AUCTION_DELIVERY_CLAIM_LEASE", "8s"),
                    Duration.ofSeconds(180), Duration.ofSeconds(240));
            case "full" -> new Profile("full", List.of(
                    "redis-kill", "postgres-crash",
                    "kill:wallet-service:b", "kill:webhook-gateway:a", "kill:auction-service:b", "kill:buyer-registry:a",
                    "partition-redis:wallet-service:a", "partition-redis:webhook-gateway:b",
                    "partition-redis:auction-service:a", "partition-redis:buyer-registry:b",
                    "partition-postgres:wallet-service:b", "partition-postgres:webhook-gateway:a",
                    "partition-postgres:auction-service:b", "partition-postgres:buyer-registry:a",
                    "reset-postgres:wallet-service:a", "reset-postgres:auction-service:a",
                    "reset-redis:auction-service:b", "reset-redis:wallet-service:b",
                    "drop-postgres:auction-service:b", "drop-postgres:wallet-service:a", "drop-postgres:webhook-gateway:b",
                    "drop-redis:auction-service:a", "drop-redis:webhook-gateway:a",
                    "redis-kill", "postgres-crash"),
                    15, 10, 5, 0.34, 100, Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofSeconds(8),
                    Map.of(), Duration.ofSeconds(240), Duration.ofSeconds(600));
            default -> throw new IllegalArgumentException("fault.profile is short or full, not " + name);
        };
        String only = System.getProperty("fault.only");
        if (only != null && !only.isBlank()) {
            p = new Profile(p.name() + " (" + only + ")", List.of(only.split(",")), p.paymentsPerSecond(),
                    p.redemptionsPerSecond(), p.leadsPerSecond(), p.returnShare(), p.drivers(), p.before(), p.outage(), p.cut(), p.after(), p.serviceSettings(), p.readyDeadline(), p.drainDeadline());
        }
        return p;
    }
}
