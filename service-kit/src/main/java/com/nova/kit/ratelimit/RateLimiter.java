package com.nova.kit.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nova.kit.config.KitConfig;
import com.nova.kit.config.KitConfig.RedisOutagePolicy;
import com.nova.kit.problem.ProblemException;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Limits requests per caller and route class in Redis, so every instance shares one budget. When
 * Redis cannot be reached, the prod profile fails closed (503); dev and test may fall back to a
 * per-instance limiter.
 */
@ApplicationScoped
public class RateLimiter {

    private final ReactiveRedisDataSource redis;
    private final KitConfig config;
    private final MeterRegistry metrics;
    private final String script;
    private final boolean inMemoryAllowed;
    /** The in-memory fallback's buckets: bounded, so callers with ever-new addresses cannot grow it without end. */
    private final Cache<String, Long> localBuckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    public RateLimiter(ReactiveRedisDataSource redis, KitConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.config = config;
        this.metrics = metrics;
        this.script = load("/kit/gcra.lua");
        boolean prod = ConfigUtils.getProfiles().contains("prod");
        this.inMemoryAllowed = !prod && config.rateLimit().redisOutage() == RedisOutagePolicy.IN_MEMORY;
        if (prod && config.rateLimit().redisOutage() == RedisOutagePolicy.IN_MEMORY) {
            Log.warn("kit.rate-limit.redis-outage=in-memory is ignored in the prod profile: failing closed");
        }
    }

    /** Checks one request of {@code callerKey} against the limit of {@code routeClass}. */
    public Uni<Decision> check(String routeClass, String callerKey) {
        KitConfig.Limit limit = limitOf(routeClass);
        String key = config.redisKeyPrefix() + ":rl:" + routeClass + ":" + callerKey;
        long periodMillis = limit.period().toMillis();
        return redis.execute("EVAL", script, "1", key, Integer.toString(limit.limit()), Long.toString(periodMillis))
                .ifNoItem().after(config.rateLimit().redisTimeout()).fail()
                .map(r -> fromRedis(r, limit.limit()))
                .onFailure().recoverWithUni(failure -> outage(failure, routeClass, key, limit))
                .invoke(d -> metrics.counter("kit.rate.limit.decisions", "class", routeClass,
                        "outcome", d.allowed() ? "allowed" : "limited").increment());
    }

    private Uni<Decision> outage(Throwable failure, String routeClass, String key, KitConfig.Limit limit) {
        if (inMemoryAllowed) {
            metrics.counter("kit.rate.limit.redis.failures", "policy", "in-memory").increment();
            Log.warnf("Rate limiter cannot reach Redis (%s): limiting in memory", failure.toString());
            return Uni.createFrom().item(local(key, limit));
        }
        metrics.counter("kit.rate.limit.redis.failures", "policy", "fail-closed").increment();
        Log.errorf("Rate limiter cannot reach Redis (%s): failing closed for route class %s", failure.toString(),
                routeClass);
        return Uni.createFrom().failure(new ProblemException(503, "rate-limiter-unavailable",
                "Request limits cannot be checked right now; retry later", null,
                java.util.Map.of("Retry-After", "1")));
    }

    private Decision local(String key, KitConfig.Limit limit) {
        Decision[] out = new Decision[1];
        long now = System.currentTimeMillis();
        localBuckets.asMap().compute(key, (k, tat) -> {
            Gcra.Result result = Gcra.check(tat, now, limit.limit(), limit.period().toMillis());
            out[0] = result.decision();
            return result.tat();
        });
        return out[0];
    }

    private KitConfig.Limit limitOf(String routeClass) {
        KitConfig.Limit limit = config.rateLimit().classes().get(routeClass);
        if (limit == null) {
            limit = config.rateLimit().classes().get("default");
        }
        if (limit == null) {
            throw new IllegalStateException("No rate limit configured for route class " + routeClass);
        }
        return limit;
    }

    private static Decision fromRedis(Response r, int limit) {
        return new Decision(r.get(0).toInteger() == 1, limit, r.get(1).toInteger(), r.get(2).toLong(),
                r.get(3).toLong());
    }

    private static String load(String resource) {
        try (InputStream in = RateLimiter.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
