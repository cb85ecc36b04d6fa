package com.nova.auction.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;
import com.nova.auction.client.BuyerRegistryClient;
import com.nova.auction.client.ProviderUnavailableException;
import com.nova.auction.config.AuctionConfig;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.StreamConsumers;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The active buyers of each vertical, from buyer-registry, cached per vertical and dropped as soon
 * as {@code buyers.events} announces any buyer change (every instance reads it in a group of its
 * own). While the registry cannot answer, a list up to {@code max-stale} old is still used.
 */
@ApplicationScoped
public class EligibleBuyers {


    private record Cached(List<EligibleBuyer> buyers, Instant fetchedAt) {
    }

    private final BuyerRegistryClient registry;
    private final AuctionConfig.Buyers config;
    private final Clock clock;
    private final StreamConsumers consumers;
    /** One entry per vertical (a short, validated list); bounded all the same. */
    private final Cache<String, Cached> byVertical = Caffeine.newBuilder().maximumSize(1_000).build();
    /** Bumped by each invalidation, so a fetch that started before it does not put back what it dropped. */
    private final AtomicLong generation = new AtomicLong();

    public EligibleBuyers(@RestClient BuyerRegistryClient registry, AuctionConfig config, Clock clock,
            StreamConsumers consumers) {
        this.registry = registry;
        this.config = config.buyers();
        this.clock = clock;
        this.consumers = consumers;
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribeEveryInstance(EventContract.Streams.BUYERS, "auction-service.cache", envelope -> {
            invalidate();
            return Uni.createFrom().voidItem();
        });
    }

    public void invalidate() {
        generation.incrementAndGet();
        byVertical.invalidateAll();
    }

    public Uni<List<EligibleBuyer>> forVertical(String vertical) {
        Cached cached = byVertical.getIfPresent(vertical);
        Instant now = clock.instant();
        if (cached != null && cached.fetchedAt().plus(config.cacheTtl()).isAfter(now)) {
            return Uni.createFrom().item(cached.buyers());
        }
        long seen = generation.get();
        return registry.eligible(vertical)
                .map(answer -> answer.buyers() == null ? List.<EligibleBuyer>of() : List.copyOf(answer.buyers()))
                .invoke(list -> {
                    if (generation.get() == seen) {
                        byVertical.put(vertical, new Cached(list, clock.instant()));
                    }
                })
                .onFailure().recoverWithUni(e -> {
                    if (cached != null && cached.fetchedAt().plus(config.maxStale()).isAfter(clock.instant())) {
                        Log.warnf("buyer-registry did not answer (%s); using the buyers of %s cached at %s", e.toString(),
                                vertical, cached.fetchedAt());
                        return Uni.createFrom().item(cached.buyers());
                    }
                    Log.warnf("buyer-registry did not answer: %s", e.toString());
                    return Uni.createFrom().failure(new ProviderUnavailableException(503, "buyer-registry-unavailable"));
                });
    }
}
