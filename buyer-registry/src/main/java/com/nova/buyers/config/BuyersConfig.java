package com.nova.buyers.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of buyer-registry. */
@ConfigMapping(prefix = "buyers")
public interface BuyersConfig {

    /** Encryption of credentials and webhook secrets at rest. */
    Crypto crypto();

    /** What a delivery URL may point at. */
    DeliveryUrl deliveryUrl();

    /** Webhook secrets buyers sign their outcome webhooks with. */
    WebhookSecrets webhookSecrets();

    interface Crypto {

        /** A Tink keyset as JSON (cleartext), e.g. from a Kubernetes Secret as {@code BUYERS_CRYPTO_KEYSET}. */
        Optional<String> keyset();

        /** A file holding the Tink keyset JSON (a mounted Secret); re-read when it changes, so rotation needs no restart. */
        Optional<Path> keysetFile();

        /** Create {@code keyset-file} with a fresh AES-256-GCM key when it is missing (never in prod). */
        @WithDefault("false")
        boolean generateIfMissing();

        /** How often the keyset file is checked for changes. */
        @WithDefault("30s")
        Duration reloadInterval();

        /** Rows re-encrypted per transaction by the re-encryption and plaintext migration jobs. */
        @WithDefault("100")
        int batchSize();

        /** Encrypt rows still holding legacy plaintext credentials when the service starts. */
        @WithDefault("true")
        boolean encryptLegacyAtStart();
    }

    interface DeliveryUrl {

        /** Only {@code https} delivery URLs (prod); dev and test accept {@code http} for local stubs. */
        @WithDefault("true")
        boolean requireHttps();

        /** Accept URLs resolving to loopback, private, link-local or other non-public addresses (never in prod: SSRF). */
        @WithDefault("false")
        boolean allowPrivateNetwork();
    }

    interface WebhookSecrets {
        /**
         * How many previous secrets may still verify during their grace periods; a rotation past
         * that retires the oldest at once, so repeated rotations never leave an unbounded set valid.
         */
        @WithDefault("2")
        int maxPrevious();


        /** How long the previous secret keeps verifying after a rotation. */
        @WithDefault("24h")
        Duration gracePeriod();
    }
}
