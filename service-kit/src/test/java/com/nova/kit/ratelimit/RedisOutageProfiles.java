package com.nova.kit.ratelimit;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Test profiles in which the rate limiter's Redis is unreachable (nothing listens on port 1). */
public final class RedisOutageProfiles {

    private RedisOutageProfiles() {
    }

    private static Map<String, String> redisDown(String policy) {
        return Map.of(
                "quarkus.redis.hosts", "redis://127.0.0.1:1",
                "kit.rate-limit.redis-outage", policy,
                "kit.rate-limit.redis-timeout", "300ms",
                "kit.background.enabled", "false",
                "quarkus.otel.sdk.disabled", "true",
                "quarkus.flyway.migrate-at-start", "false");
    }

    /** The production profile, even though someone configured the in-memory fallback. */
    public static class ProdWithRedisDown implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(redisDown("in-memory"));
            config.put("quarkus.log.console.json.enabled", "false");
            config.put("quarkus.http.test-port", "0");
            return config;
        }
    }

    /** The test profile with the in-memory fallback allowed. */
    public static class TestWithRedisDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return redisDown("in-memory");
        }
    }
}
