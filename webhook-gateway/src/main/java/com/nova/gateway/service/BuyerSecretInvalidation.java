package com.nova.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.events.StreamConsumers;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Drops a buyer's cached webhook secrets as soon as buyer-registry announces a change on
 * {@code buyers.events}, so a revoked secret stops verifying at once rather than at the cache TTL.
 * Every instance must see every event, so each reads in a consumer group of its own.
 */
@ApplicationScoped
public class BuyerSecretInvalidation {

    public static final String STREAM = "buyers.events";
    public static final String GROUP_PREFIX = "webhook-gateway.cache";

    private final StreamConsumers consumers;
    private final BuyerSecrets secrets;

    public BuyerSecretInvalidation(StreamConsumers consumers, BuyerSecrets secrets) {
        this.consumers = consumers;
        this.secrets = secrets;
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribeEveryInstance(STREAM, GROUP_PREFIX, envelope -> {
            if (envelope.subject() != null) {
                secrets.evict(envelope.subject());
            }
            return Uni.createFrom().voidItem();
        });
    }
}
