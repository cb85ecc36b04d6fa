package com.nova.gateway.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.gateway.config.GatewayConfig;
import com.nova.kit.config.KitConfig;
import com.nova.kit.events.EventPublisher;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Appends a delivery's entries to their streams unless the delivery, or the business identity of
 * an entry, was forwarded before: one Lua script, so the check and the XADD are one atomic step.
 * Its answer comes only after Redis has the entries; a Redis failure fails the delivery (503), so
 * the provider retries and nothing accepted is lost.
 */
@ApplicationScoped
public class Forwarder {

    /** The outcome of forwarding one delivery. */
    public record Result(boolean duplicate, int appended) {
    }

    private final ReactiveRedisDataSource redis;
    private final EventPublisher publisher;
    private final String prefix;
    private final String retentionMillis;
    private final String script;

    public Forwarder(ReactiveRedisDataSource redis, EventPublisher publisher, KitConfig kit, GatewayConfig config) {
        this.redis = redis;
        this.publisher = publisher;
        this.prefix = kit.redisKeyPrefix() + ":dedupe:";
        this.retentionMillis = Long.toString(config.dedupeRetention().toMillis());
        this.script = load("/gateway/forward.lua");
    }

    public Uni<Result> forward(Normalized delivery) {
        List<String> args = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        keys.add(prefix + "delivery:" + delivery.source() + ":" + delivery.eventId());
        List<String> values = new ArrayList<>();
        values.add(retentionMillis);
        for (Normalized.Forward f : delivery.forwards()) {
            keys.add(prefix + f.identity());
            keys.add(f.stream());
            Map<String, String> fields = publisher.fields(f.envelope());
            values.add(fields.get(EventPublisher.FIELD_ID));
            values.add(fields.get(EventPublisher.FIELD_TYPE));
            values.add(fields.get(EventPublisher.FIELD_ENVELOPE));
        }
        args.add(script);
        args.add(Integer.toString(keys.size()));
        args.addAll(keys);
        args.addAll(values);
        return redis.execute("EVAL", args.toArray(new String[0])).map(reply -> {
            long n = reply.toLong();
            return n < 0 ? new Result(true, 0) : new Result(false, (int) n);
        });
    }

    private static String load(String resource) {
        try (InputStream in = Forwarder.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("Missing " + resource, e);
        }
    }
}
