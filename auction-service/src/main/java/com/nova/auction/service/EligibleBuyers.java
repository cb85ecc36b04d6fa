package com.nova.auction.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nova.auction.client.BuyerRegistryClient.Delivery;
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
 * What auction-service knows of buyers from buyer-registry: the active buyers of each vertical, and
 * each buyer's delivery endpoint with its credentials. Both are cached and dropped as soon as
 * {@code buyers.events} announces any buyer change (every instance reads it in a group of its own).
 * A vertical's list is read once for every request waiting for it, and read again in the background
 * once it is older than half its TTL, so a busy vertical's requests never wait for it; a list past
 * its TTL (a quiet vertical, or just dropped) is waited for. While the registry cannot answer, a
 * list up to {@code max-stale} old is still used; a delivery target is not used past its TTL (a
 * delivery waits for the registry instead).
 */
@ApplicationScoped
public class EligibleBuyers {

    private record Cached(List<EligibleBuyer> buyers, Instant fetchedAt) {
    }

    /** A read of one vertical's list in flight, and the invalidations it started after. */
    private record Read(long generation, CompletableFuture<List<EligibleBuyer>> list) {
    }

    /** A buyer's delivery endpoint and credentials; {@code cached} when they were not read for this delivery. */
    public record Target(Delivery delivery, boolean cached) {
    }

    private final BuyerRegistryClient registry;
    private final AuctionConfig.Buyers config;
    private final Clock clock;
    private final StreamConsumers consumers;
    /** One entry per vertical (a short, validated list); bounded all the same. */
    private final Cache<String, Cached> byVertical = Caffeine.newBuilder().maximumSize(1_000).build();
    /** At most one registry read per vertical at a time: the requests that miss share it. */
    private final ConcurrentMap<String, Read> reading = new ConcurrentHashMap<>();
    /**
     * Delivery targets by buyer: one credentials read (audited in buyer-registry) per buyer per TTL
     * instead of one per delivery. Empty when the TTL is zero.
     */
    private final Cache<UUID, Delivery> targets;
    private final boolean cacheTargets;
    /**
     * Bumped by each invalidation of the lists, and of the targets, so a read that started before
     * it neither puts back nor serves what it dropped. Apart: forgetting one buyer's target does not
     * cost the lists' reads in flight.
     */
    private final AtomicLong listGeneration = new AtomicLong();
    private final AtomicLong targetGeneration = new AtomicLong();

    public EligibleBuyers(@RestClient BuyerRegistryClient registry, AuctionConfig config, Clock clock,
            StreamConsumers consumers) {
        this.registry = registry;
        this.config = config.buyers();
        this.clock = clock;
        this.consumers = consumers;
        Duration targetTtl = config.delivery().targetCacheTtl();
        this.cacheTargets = !targetTtl.isNegative() && !targetTtl.isZero();
        this.targets = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheTargets ? targetTtl : Duration.ofNanos(1)).build();
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribeEveryInstance(EventContract.Streams.BUYERS, "auction-service.cache", envelope -> {
            invalidate();
            return Uni.createFrom().voidItem();
        });
    }

    public void invalidate() {
        listGeneration.incrementAndGet();
        targetGeneration.incrementAndGet();
        byVertical.invalidateAll();
        targets.invalidateAll();
    }

    /** Where and how to deliver {@code buyerId}'s leads: cached, or read from buyer-registry (which audits the read). */
    public Uni<Target> deliveryTarget(UUID buyerId) {
        Delivery cached = targets.getIfPresent(buyerId);
        if (cached != null) {
            return Uni.createFrom().item(new Target(cached, true));
        }
        long seen = targetGeneration.get();
        return registry.delivery(buyerId).map(delivery -> {
            if (cacheTargets) {
                keep(targets, targetGeneration, buyerId, delivery, seen);
            }
            return new Target(delivery, false);
        });
    }

    /** The buyer refused the credentials we had (they may have changed before buyers.events told us): read them again. */
    public void forgetDeliveryTarget(UUID buyerId) {
        targetGeneration.incrementAndGet();
        targets.invalidate(buyerId);
    }

    public Uni<List<EligibleBuyer>> forVertical(String vertical) {
        Cached cached = byVertical.getIfPresent(vertical);
        Instant now = clock.instant();
        if (cached != null && cached.fetchedAt().plus(config.cacheTtl()).isAfter(now)) {
            if (!cached.fetchedAt().plus(config.cacheTtl().dividedBy(2)).isAfter(now)) {
                // Old enough to read again, young enough to serve meanwhile: this request does not wait for the read.
                read(vertical);
            }
            return Uni.createFrom().item(cached.buyers());
        }
        return SharedReads.join(() -> read(vertical))
                .onFailure().recoverWithUni(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cached != null && cached.fetchedAt().plus(config.maxStale()).isAfter(clock.instant())) {
                        Log.warnf("buyer-registry did not answer (%s); using the buyers of %s cached at %s", cause.toString(),
                                vertical, cached.fetchedAt());
                        return Uni.createFrom().item(cached.buyers());
                    }
                    Log.warnf("buyer-registry did not answer: %s", cause.toString());
                    return Uni.createFrom().failure(new ProviderUnavailableException(503, "buyer-registry-unavailable"));
                });
    }

    /**
     * The read of {@code vertical}'s list in flight, or a new one: joined only when no invalidation
     * came after it started (a read from before a change may answer the list without it).
     */
    private CompletableFuture<List<EligibleBuyer>> read(String vertical) {
        long seen = listGeneration.get();
        Read fresh = new Read(seen, new CompletableFuture<>());
        // A read started after a later invalidation than this caller saw is as good: joined, not replaced.
        Read read = reading.compute(vertical, (v, current) -> current != null && current.generation() >= seen ? current : fresh);
        if (read != fresh) {
            return read.list();
        }
        try {
            registry.eligible(vertical)
                    .map(answer -> answer.buyers() == null ? List.<EligibleBuyer>of() : List.copyOf(answer.buyers()))
                    .subscribe().with(list -> {
                        try {
                            keep(byVertical, listGeneration, vertical, new Cached(list, clock.instant()), seen);
                        } finally {
                            reading.remove(vertical, read);
                            read.list().complete(list);
                        }
                    }, failure -> {
                        reading.remove(vertical, read);
                        if (read.list().getNumberOfDependents() == 0) {
                            // Nobody waits (a read ahead of the TTL): the list still serves, the next request reads again.
                            Log.warnf("buyer-registry did not answer a read ahead of %s's list: %s", vertical, failure.toString());
                        }
                        read.list().completeExceptionally(failure);
                    });
        } catch (RuntimeException e) {
            // The client failed before it sent anything: this read ends, and whoever waits for it learns why.
            reading.remove(vertical, read);
            read.list().completeExceptionally(e);
        }
        return read.list();
    }

    /**
     * Caches what a read that started at invalidation {@code seen} of {@code generation} answered,
     * unless an invalidation came meanwhile. Put first, then look again: an invalidation between a
     * check and the put would keep what it dropped.
     */
    private static <K, V> void keep(Cache<K, V> cache, AtomicLong generation, K key, V value, long seen) {
        if (generation.get() != seen) {
            return;
        }
        cache.put(key, value);
        if (generation.get() != seen) {
            cache.invalidate(key);
        }
    }
}
