package com.nova.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of webhook-gateway. Secret lists are comma-separated so two can be active during a rotation. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Largest accepted difference between a signed timestamp and our clock, either way. */
    @WithDefault("300s")
    Duration timestampTolerance();

    /** How long a delivered event id, payment id or refund id is remembered as already forwarded. */
    @WithDefault("7d")
    Duration dedupeRetention();

    Stripe stripe();

    Square square();

    Purchases purchases();

    Buyers buyers();

    Rejections rejections();

    interface Rejections {
        /** How long a rejected delivery's record is kept. */
        @WithDefault("30d")
        Duration retention();

        /** How often each instance deletes records past the retention (0 = never). */
        @WithDefault("1h")
        Duration purgeInterval();
    }

    interface Stripe {
        /** Endpoint signing secrets ({@code whsec_...}), comma-separated: env {@code STRIPE_WEBHOOK_SECRET}. */
        Optional<List<String>> webhookSecrets();
    }

    interface Square {
        /** Signature keys, comma-separated: env {@code SQUARE_WEBHOOK_SIGNATURE_KEY}. */
        Optional<List<String>> signatureKeys();

        /** The notification URL exactly as registered with Square (it is part of what Square signs). */
        Optional<String> notificationUrl();

        /** Accept the legacy SHA-1 {@code x-square-signature} header (off unless you need it). */
        @WithDefault("false")
        boolean legacySha1Enabled();

        /** Shared secrets checked from {@code X-Webhook-Secret} when no signature key is configured. */
        Optional<List<String>> fallbackSecrets();

        /**
         * Allow that fallback at all. Off by default, so prod refuses it unless this is set
         * explicitly; the dev, local and test profiles turn it on.
         */
        @WithDefault("false")
        boolean allowSharedSecretFallback();

        /** Oldest signed {@code created_at} accepted (Square retries for up to 72 hours). */
        @WithDefault("72h")
        Duration maxEventAge();
    }

    interface Purchases {
        /** Shared secrets of the legacy partner hook, comma-separated: env {@code PURCHASE_WEBHOOK_SECRET}. */
        Optional<List<String>> secrets();
    }

    interface Buyers {
        /** How long a buyer's webhook secrets are cached; a signature that fails refreshes them first. */
        @WithDefault("60s")
        Duration secretCacheTtl();

        /** Shortest time between two refreshes of one buyer's secrets caused by failing signatures. */
        @WithDefault("5s")
        Duration refreshInterval();

        /** Most buyers whose secrets are cached at once (least recently used go first). */
        @WithDefault("10000")
        int secretCacheSize();

        /** How often the list of known buyer ids is loaded again from buyer-registry. */
        @WithDefault("5m")
        Duration knownIdsRefresh();

        /** Shortest time between two reloads of that list caused by an unknown buyer id. */
        @WithDefault("30s")
        Duration knownIdsMissReload();
    }
}
