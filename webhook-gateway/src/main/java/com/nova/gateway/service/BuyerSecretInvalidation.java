package com.nova.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.config.KitConfig;
import com.nova.kit.events.StreamConsumers;
import com.nova.kit.events.StreamSubscription;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Drops a buyer's cached webhook secrets as soon as buyer-registry announces a change on
 * {@code buyers.events}, so a revoked secret stops verifying at once rather than at the cache TTL.
 * Every instance must see every event, so each reads in a consumer group of its own (a group
 * shares entries out, one reader each), removed again at shutdown.
 */
@ApplicationScoped
public class BuyerSecretInvalidation {

    public static final String STREAM = "buyers.events";

    private final StreamConsumers consumers;
    private final BuyerSecrets secrets;
    private final RedisDataSource redis;
    private final String group;

    public BuyerSecretInvalidation(StreamConsumers consumers, BuyerSecrets secrets, RedisDataSource redis, KitConfig kit) {
        this.consumers = consumers;
        this.secrets = secrets;
        this.redis = redis;
        this.group = "webhook-gateway.cache." + kit.streams().consumerName();
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribe(new StreamSubscription(STREAM, group, envelope -> {
            if (envelope.subject() != null) {
                secrets.evict(envelope.subject());
            }
            return Uni.createFrom().voidItem();
        }));
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            redis.stream(String.class).xgroupDestroy(STREAM, group);
        } catch (RuntimeException e) {
            Log.debugf("Could not remove consumer group %s: %s", group, e.getMessage());
        }
    }
}
