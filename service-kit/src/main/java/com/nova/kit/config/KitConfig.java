package com.nova.kit.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the shared kit, the same keys in every service. */
@ConfigMapping(prefix = "kit")
public interface KitConfig {

    /** Prefix of every Redis key this service writes, so services sharing a Redis never collide. */
    @WithDefault("nova")
    String redisKeyPrefix();

    /** Rate limiting. */
    RateLimit rateLimit();

    /**
     * Addresses or CIDR blocks of the proxies in front of this service (the ingress). Only a
     * connection from one of them may say, in {@code X-Forwarded-For}, whom it forwards for; from
     * anyone else the header is ignored. None by default: the peer address is the client.
     */
    Optional<java.util.List<String>> trustedProxies();

    /** Redis Streams consumers. */
    Streams streams();

    /** Which background work this instance runs. */
    Background background();

    /**
     * Longest time one database transaction of a request or an event may take, its statements and
     * its idle time between them; it rolls back after, and the caller may send it again.
     */
    @WithDefault("5s")
    Duration transactionTimeout();

    /** How requests wait for a database connection when every pooled one is busy. */
    Database database();

    interface Database {

        /**
         * Longest wait for a pooled connection; past it the request fails fast (503 with
         * Retry-After) instead of hanging until the client gives up.
         */
        @WithDefault("2s")
        Duration acquireTimeout();

        /** Requests that may wait for a connection at once; more are refused at once (503). */
        @WithDefault("256")
        int maxWaitQueue();
    }

    /** The transactional outbox relay. */
    Outbox outbox();

    /** Tokens this service presents to other services' internal endpoints. */
    ServiceToken serviceToken();

    interface ServiceToken {

        /** PKCS#8 PEM private key that signs them; its public key must be in the JWKS verifiers read. */
        Optional<Path> signingKeyLocation();

        /** The key id ({@code kid}) of that key in the JWKS. */
        Optional<String> keyId();

        /** A file holding the key id instead (the local development identity writes one). */
        Optional<Path> keyIdLocation();

        /**
         * The keys that sign service tokens, as verifiers see them: {@code service=kid} pairs (a
         * service may have two during a rotation). The {@code service} role is honoured only in a
         * token signed by one of these, and only for the service that key belongs to: a peer
         * holding its own key cannot speak for another.
         */
        Optional<java.util.List<String>> trustedKeys();

        /** Lifetime of one token; a new one is minted a minute before it ends. */
        @WithDefault("5M")
        Duration ttl();
    }

    /**
     * One switch for every kind of background work: stream consumers, the outbox relay, stream
     * retention and a service's scheduled passes. Each worker has a name, logged when it starts.
     */
    interface Background {

        /** Whether this instance runs background work at all (off in migration Jobs, and in tests that drive handlers directly). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Workers this instance does not run, by name: a stream consumer by its group (for example
         * {@code auction-delivery}; a per-instance group by its prefix, {@code webhook-gateway.cache}),
         * {@code outbox-relay}, {@code stream-retention}, or a service's own pass such as
         * {@code auction-hold-retry}.
         */
        Optional<java.util.Set<String>> disabled();
    }

    interface Outbox {

        /** How often the relay looks for rows that no commit poked it for (after an outage, a crash). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Rows moved per transaction. */
        @WithDefault("100")
        int batchSize();
    }

    interface RateLimit {

        /** Whether requests to REST endpoints are rate limited. */
        @WithDefault("true")
        boolean enabled();

        /**
         * What happens when Redis cannot be reached: {@code fail-closed} answers 503; {@code in-memory}
         * limits per instance and is honoured only outside the prod profile.
         */
        @WithDefault("fail-closed")
        RedisOutagePolicy redisOutage();

        /** How long a limiter call may wait for Redis before Redis counts as unreachable. */
        @WithDefault("250ms")
        Duration redisTimeout();

        /** Limits per route class; {@code default} covers endpoints without {@code @RateLimited}. */
        Map<String, Limit> classes();
    }

    interface Limit {

        /** Requests allowed in one period (also the burst size). */
        int limit();

        /** The period the limit applies to. */
        Duration period();
    }

    enum RedisOutagePolicy {
        FAIL_CLOSED,
        IN_MEMORY
    }

    interface Streams {

        /** Name of this consumer in its groups; unique per instance (the pod name in Kubernetes). */
        @WithDefault("${HOSTNAME:local}")
        String consumerName();

        /** Longest time one XREADGROUP blocks waiting for entries. */
        @WithDefault("2s")
        Duration block();

        /** Entries read per call. */
        @WithDefault("32")
        int batchSize();

        /** An entry pending this long without an ack is reclaimed by another consumer (XAUTOCLAIM). */
        @WithDefault("30s")
        Duration claimIdle();

        /** How often a consumer looks for entries to reclaim. */
        @WithDefault("5s")
        Duration claimInterval();

        /** Attempts within one delivery before the entry is left for a later redelivery. */
        @WithDefault("3")
        int attemptsPerDelivery();

        /** First retry delay within a delivery; doubled on each further attempt. */
        @WithDefault("100ms")
        Duration retryBackoff();

        /** Failed deliveries after which an entry moves to the dead-letter stream. */
        @WithDefault("5")
        int maxDeliveries();

        /**
         * How long stream entries are kept: older ones are trimmed, except those a consumer group
         * has not acknowledged or read yet (they stay until it has).
         */
        @WithDefault("7d")
        Duration retention();

        /** How long dead-letter entries are kept for investigation and replay. */
        @WithDefault("30d")
        Duration deadLetterRetention();

        /** How often each instance trims the streams it consumes (0 = never). */
        @WithDefault("10m")
        Duration trimInterval();

        /** Pause after a Redis error before the loop tries again; doubled up to ten times this. */
        @WithDefault("500ms")
        Duration errorBackoff();
    }
}
