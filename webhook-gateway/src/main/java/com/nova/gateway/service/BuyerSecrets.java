package com.nova.gateway.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nova.gateway.client.BuyerRegistryClient;
import com.nova.gateway.config.GatewayConfig;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The webhook secrets of each buyer, from buyer-registry, cached briefly. A signature that fails
 * against cached secrets refreshes them once (at most every {@code refresh-interval} per buyer),
 * so a just-rotated secret verifies at once and a revoked one stops within the cache TTL.
 */
@ApplicationScoped
public class BuyerSecrets {

    /**
     * A buyer's secrets as last fetched; {@code known} false for a buyer the registry does not have.
     * A deactivated buyer is still known: outcomes of leads it bought (returns) must still arrive.
     */
    public record Cached(boolean known, List<String> secrets, Instant fetchedAt) {
    }

    private final BuyerRegistryClient registry;
    private final GatewayConfig.Buyers config;
    private final Clock clock;
    private final Cache<String, Cached> cache;

    public BuyerSecrets(@RestClient BuyerRegistryClient registry, GatewayConfig config, Clock clock) {
        this.registry = registry;
        this.config = config.buyers();
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(this.config.secretCacheSize()).build();
    }

    public Uni<Cached> get(String buyerId) {
        Cached cached = cache.getIfPresent(buyerId);
        if (cached != null && cached.fetchedAt.plus(config.secretCacheTtl()).isAfter(clock.instant())) {
            return Uni.createFrom().item(cached);
        }
        return fetch(buyerId);
    }

    /** Fetches again unless the last fetch was very recent (a flood of bad signatures must not flood the registry). */
    public Uni<Cached> refresh(String buyerId, Cached stale) {
        if (stale.fetchedAt.plus(config.refreshInterval()).isAfter(clock.instant())) {
            return Uni.createFrom().item(stale);
        }
        return fetch(buyerId);
    }

    public void evict(String buyerId) {
        cache.invalidate(buyerId);
    }

    private Uni<Cached> fetch(String buyerId) {
        return registry.webhookSecrets(buyerId)
                .map(answer -> new Cached(true,
                        answer.secrets().stream().map(BuyerRegistryClient.Secret::secret).toList(), clock.instant()))
                .onFailure(WebApplicationException.class)
                .recoverWithUni(e -> ((WebApplicationException) e).getResponse().getStatus() == 404
                        ? Uni.createFrom().item(new Cached(false, List.of(), clock.instant()))
                        : Uni.createFrom().failure(e))
                .onFailure().transform(e -> {
                    Log.warnf("buyer-registry did not answer for buyer %s: %s", buyerId, e.toString());
                    return new BuyerRegistryUnavailable(e);
                })
                .invoke(c -> cache.put(buyerId, c));
    }
}
