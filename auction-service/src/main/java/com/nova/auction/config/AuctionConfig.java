package com.nova.auction.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of auction-service. */
@ConfigMapping(prefix = "auction")
public interface AuctionConfig {

    /** Verticals leads may be submitted for. */
    @WithDefault("auto_insurance,home_insurance,health_insurance,life_insurance,solar,roofing,mortgage")
    List<String> verticals();

    /** The same person (e-mail or phone) is refused again within this window. */
    @WithDefault("30D")
    Duration duplicateWindow();

    /** A buyer may return a lead this long after its sale (and never after reporting it converted). */
    @WithDefault("30D")
    Duration returnWindow();

    /** How the price is split. */
    Revenue revenue();

    /** TrustedForm and ZIP checks. */
    Compliance compliance();

    /** Eligible buyers from buyer-registry. */
    Buyers buyers();

    /** Delivery of sold leads to their buyers. */
    Delivery delivery();

    /** Ping/post. */
    Pings pings();

    /** Shared leads. */
    Sharing sharing();

    /** Post-accept buyers, offered the lead in rank order until one accepts. */
    Waterfall waterfall();

    interface Waterfall {

        /**
         * How long one buyer has to accept or reject an offered lead; no answer in time is a
         * rejection. Shorter than kit.transaction-timeout: the lead's decision waits for it.
         */
        @WithDefault("2s")
        Duration offerTimeout();

        /** Offers one lead makes at most; post-accept buyers further down are not offered it (NOT_OFFERED). */
        @WithDefault("3")
        int maxOffers();
    }

    interface Sharing {

        /** How many buyers may share a lead (1: no lead is shared; at most 10). */
        @WithDefault("3")
        int maxBuyers();

        /** A vertical's own number instead of {@link #maxBuyers()} (e.g. {@code auction.sharing.vertical-max-buyers.solar=2}). */
        Map<String, Integer> verticalMaxBuyers();

        default int maxBuyersFor(String vertical) {
            return verticalMaxBuyers().getOrDefault(vertical, maxBuyers());
        }
    }

    interface Pings {

        /** How long a ping's price holds: the post must come before (bounded: 1 s to 10 min). */
        @WithDefault("60S")
        Duration ttl();

        /**
         * How long a ping waits for live bids from buyers' own endpoints; a bid arriving later does not
         * count (bounded: 50 ms to 2 s).
         */
        @WithDefault("300ms")
        Duration deadline();

        /** A vertical's own deadline instead of {@link #deadline()} (e.g. {@code auction.pings.vertical-deadline.solar=500ms}). */
        Map<String, Duration> verticalDeadline();

        /** Connections open at once to one live bidder's endpoint (host and port); more asks wait for one. */
        @WithDefault("256")
        int maxConnectionsPerEndpoint();

        /** A live bid's answer is read up to this many bytes; a longer one is malformed. */
        @WithDefault("4096")
        int maxBidBytes();

        /**
         * How long a ping nobody posted is kept after it expired; then it is deleted (a used ping
         * stays with its lead's auction record, which shows its live bids).
         */
        @WithDefault("7d")
        Duration retention();

        /** How often unused expired pings past the retention are deleted; 0 turns it off. */
        @WithDefault("1h")
        Duration purgeInterval();

        /** Skipping a live bidder whose endpoint keeps failing. */
        Breaker breaker();

        interface Breaker {

            /** Failures in a row (late, malformed, an error status, no answer) that open a buyer's breaker. */
            @WithDefault("5")
            int failures();

            /** How long an open breaker skips the buyer; then one ping tries it again. */
            @WithDefault("30s")
            Duration openFor();
        }

        /** The deadline of a vertical's pings. */
        default Duration deadlineFor(String vertical) {
            return verticalDeadline().getOrDefault(vertical, deadline());
        }
    }

    interface Revenue {

        /** The publisher's share of the price (0..1); the platform keeps the rest. */
        @WithDefault("0.70")
        BigDecimal publisherShare();
    }

    interface Compliance {

        /** What a lead gets while a provider cannot answer: HOLD (retry later), REJECT, or ALLOW (sell unchecked). */
        @WithDefault("hold")
        ProviderDownPolicy whenProviderDown();

        /** How often held leads are checked again. */
        @WithDefault("30s")
        Duration holdRetryInterval();

        /** A held lead still unverifiable after this long is rejected. */
        @WithDefault("24h")
        Duration holdMaxAge();

        /** Held leads re-checked per pass. */
        @WithDefault("50")
        int holdBatchSize();

        /** TrustedForm certificate API (v4). */
        TrustedForm trustedform();

        /** Radar forward geocoding, for ZIP codes. */
        Radar radar();
    }

    interface TrustedForm {

        /** The API key (sent as the HTTP Basic password, user {@code API}). */
        Optional<String> apiKey();

        /** Our name as recorded on retained certificates. */
        @WithDefault("Nova Leads")
        String vendor();
    }

    interface Radar {

        /** The API key (sent as the Authorization header). */
        Optional<String> apiKey();

        /** How long a ZIP answer is reused. */
        @WithDefault("24h")
        Duration cacheTtl();

        /** At most this many ZIP answers are cached. */
        @WithDefault("100000")
        int cacheSize();
    }

    interface Buyers {

        /** How long the eligible buyers of one vertical are reused (changes drop them at once via buyers.events). */
        @WithDefault("60s")
        Duration cacheTtl();

        /** While buyer-registry cannot answer, a cached list this old is still used. */
        @WithDefault("10m")
        Duration maxStale();
    }

    interface Delivery {

        /**
         * Deliveries one instance has in flight at once: a slow buyer holds one of them, not the
         * whole stream.
         */
        @WithDefault("16")
        int concurrency();

        /**
         * Deadline of one POST to a buyer, all of it: resolving and checking the address, connecting,
         * sending, the answer and its body. A buyer answering slower, however steadily, counts as a timeout.
         */
        @WithDefault("5s")
        Duration requestTimeout();

        /** The buyer's answer body is read up to this many bytes; the rest is cut off (the status alone decides). */
        @WithDefault("65536")
        int maxResponseBytes();

        /**
         * Deliver to loopback, private, link-local or other non-public addresses (local stubs; never in
         * prod: a buyer's URL must not reach into our network). Checked on every delivery at connect time.
         */
        @WithDefault("false")
        boolean allowPrivateNetwork();

        /** A claimed delivery not finished within this is free to claim again (shorter than kit.streams.claim-idle). */
        @WithDefault("20s")
        Duration claimLease();

        /**
         * Attempts after which a delivery fails for good and moves to the dead-letter stream. The
         * stream consumer tries 3 times in quick succession, then again after each claim-idle
         * (30 s): 12 attempts ride out about two minutes of a buyer's outage. Keep it at most
         * kit.streams.attempts-per-delivery x kit.streams.max-deliveries (15).
         */
        @WithDefault("12")
        int maxAttempts();

        /**
         * How long a buyer's delivery endpoint and credentials, read from buyer-registry, are reused
         * (dropped at once on buyers.events, and when the buyer answers 401 or 403); 0s reads them
         * for every delivery.
         */
        @WithDefault("60s")
        Duration targetCacheTtl();
    }

    enum ProviderDownPolicy {
        HOLD,
        REJECT,
        ALLOW
    }
}
