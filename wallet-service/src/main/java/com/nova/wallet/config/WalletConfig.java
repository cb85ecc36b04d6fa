package com.nova.wallet.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of wallet-service. */
@ConfigMapping(prefix = "wallet")
public interface WalletConfig {

    /** Nova earned per whole unit of the program currency, unless a merchant has its own rate. */
    @WithDefault("1")
    BigDecimal defaultEarnRate();

    /**
     * The currency the program's rates are in (ISO 4217). A purchase in another currency earns
     * only at a rate an admin set for that currency; without one it is parked.
     */
    @WithDefault("USD")
    String programCurrency();

    /** How often each instance reconciles wallets against the ledger for the metrics (0 = never). */
    @WithDefault("5m")
    java.time.Duration reconciliationInterval();

    /** Holds (charging sessions). */
    Holds holds();

    /** Point expiry. */
    PointExpiry points();

    interface Holds {
        /** How long a hold lasts when its request names no {@code expiresIn}. */
        @WithDefault("4h")
        java.time.Duration defaultExpiry();

        /** The longest {@code expiresIn} a hold may ask for (at least the default). */
        @WithDefault("24h")
        java.time.Duration maxExpiry();
    }

    interface PointExpiry {
        /** How long a grant's points last (0: they never expire). */
        @WithDefault("365d")
        java.time.Duration expireAfter();

        /** How often each instance expires holds and point lots whose time came (0 = never). */
        @WithDefault("30s")
        java.time.Duration expiryInterval();

        /** How many holds, and how many lots, one expiry pass takes at most. */
        @WithDefault("200")
        int expiryBatchSize();
    }

    /** What {@code GET /v1/config} tells the mobile front end. */
    Frontend frontend();

    interface Frontend {
        /** Where the front end sends its API calls (the local and dev profiles: http://localhost:8081). */
        @WithDefault("https://api.nova.example")
        String apiBaseUrl();

        /** Feature flags by name. */
        Map<String, Boolean> features();

        /** Where the driver app signs drivers in: the identity provider's OAuth endpoints (code flow with PKCE). */
        Identity identity();
    }

    interface Identity {
        /** The IdP's authorization endpoint; unset, the app says sign-in is not configured. */
        Optional<String> authorizationEndpoint();

        /** The IdP's token endpoint, which must answer the app's origin cross-origin (CORS). */
        Optional<String> tokenEndpoint();

        /** The public client the app is registered as (no secret: PKCE protects the code). */
        @WithDefault("nova-driver-app")
        String clientId();

        @WithDefault("openid")
        String scope();
    }
}
