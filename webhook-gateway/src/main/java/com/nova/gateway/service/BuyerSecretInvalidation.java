package com.nova.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.events.EventContract;
import com.nova.kit.events.StreamConsumers;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Drops a buyer's cached webhook secrets as soon as buyer-registry announces a change on
 * {@code buyers.events}, so a revoked secret stops verifying at once rather than at the cache TTL.
 * A new buyer's id becomes known the same way. Every instance must see every event, so each reads
 * in a consumer group of its own.
 */
@ApplicationScoped
public class BuyerSecretInvalidation {

    public static final String GROUP_PREFIX = "webhook-gateway.cache";

    private final StreamConsumers consumers;
    private final BuyerSecrets secrets;
    private final KnownBuyers known;

    public BuyerSecretInvalidation(StreamConsumers consumers, BuyerSecrets secrets, KnownBuyers known) {
        this.consumers = consumers;
        this.secrets = secrets;
        this.known = known;
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribeEveryInstance(EventContract.Streams.BUYERS, GROUP_PREFIX, envelope -> {
            if (envelope.subject() != null) {
                secrets.evict(envelope.subject());
                known.add(envelope.subject());
            }
            return Uni.createFrom().voidItem();
        });
    }
}
