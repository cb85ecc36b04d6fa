package com.nova.auction.config;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.config.KitConfig;

import io.quarkus.runtime.Startup;

/**
 * The settings a ping or a lead's decision waits on, checked when the service starts rather than at
 * the first ping or lead: out of bounds, the start fails with what is wrong.
 */
@Startup
@ApplicationScoped
public class AuctionSettings {

    static final Duration MIN_TTL = Duration.ofSeconds(1);
    static final Duration MAX_TTL = Duration.ofMinutes(10);
    static final Duration MIN_DEADLINE = Duration.ofMillis(50);
    static final Duration MAX_DEADLINE = Duration.ofSeconds(2);

    public AuctionSettings(AuctionConfig config, KitConfig kit) {
        checkPings(config.pings().ttl(), config.pings().deadline(), config.pings().verticalDeadline());
        checkSharing(config.sharing().maxBuyers(), config.sharing().verticalMaxBuyers());
        checkWaterfall(config.waterfall().offerTimeout(), kit.transactionTimeout());
    }

    /** A ping's price holds 1 s to 10 min; its live bids are waited for 50 ms to 2 s. */
    static void checkPings(Duration ttl, Duration deadline, Map<String, Duration> verticalDeadlines) {
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalStateException("auction.pings.ttl must be from 1 s to 10 min, not " + ttl);
        }
        checkDeadline("auction.pings.deadline", deadline);
        verticalDeadlines.forEach((vertical, d) -> checkDeadline("auction.pings.vertical-deadline." + vertical, d));
    }

    /** From 1 (no lead is shared) to 10 buyers, for every vertical. */
    static void checkSharing(int maxBuyers, Map<String, Integer> verticalMaxBuyers) {
        if (maxBuyers < 1 || maxBuyers > 10 || verticalMaxBuyers.values().stream().anyMatch(n -> n < 1 || n > 10)) {
            throw new IllegalStateException("auction.sharing.max-buyers (and each vertical's) must be from 1 to 10");
        }
    }

    /** The decision's transaction idles through each offer: an offer must end within the transaction's budget. */
    static void checkWaterfall(Duration offerTimeout, Duration transactionTimeout) {
        if (offerTimeout.isNegative() || offerTimeout.isZero() || offerTimeout.compareTo(transactionTimeout) >= 0) {
            throw new IllegalStateException("auction.waterfall.offer-timeout must be positive and shorter than kit.transaction-timeout ("
                    + transactionTimeout + "): the decision's transaction waits for each offer");
        }
    }

    private static void checkDeadline(String name, Duration d) {
        if (d.compareTo(MIN_DEADLINE) < 0 || d.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalStateException(name + " must be from 50 ms to 2 s, not " + d);
        }
    }
}
