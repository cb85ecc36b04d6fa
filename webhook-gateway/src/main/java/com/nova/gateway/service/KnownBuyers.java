package com.nova.gateway.service;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.nova.gateway.client.BuyerRegistryClient;
import com.nova.gateway.config.GatewayConfig;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The ids buyer-registry knows, so a webhook for a made-up buyer id is refused here instead of
 * costing a registry call per request. The list is loaded at start and every
 * {@code known-ids-refresh}, grows with every {@code buyers.events} entry, and an unknown id
 * reloads it at most once per {@code known-ids-miss-reload}: a new buyer whose event has not
 * arrived yet is refused once and accepted on its retry. Until the first load succeeds, buyer
 * webhooks are answered 503 (the sender retries) rather than checked one by one.
 */
@ApplicationScoped
public class KnownBuyers {

    private final BuyerRegistryClient registry;
    private final GatewayConfig.Buyers config;
    private final Clock clock;
    private final Vertx vertx;
    private final AtomicReference<Set<String>> loaded = new AtomicReference<>();
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private volatile Instant lastReload = Instant.MIN;
    private volatile boolean lastReloadFailed;
    private volatile Uni<Void> reloading;

    public KnownBuyers(@RestClient BuyerRegistryClient registry, GatewayConfig config, Clock clock, Vertx vertx) {
        this.registry = registry;
        this.config = config.buyers();
        this.clock = clock;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        long every = Math.max(1000, config.knownIdsRefresh().toMillis());
        vertx.setPeriodic(1, every, id -> reload().subscribe().with(x -> { }, e -> { }));
    }

    /** Whether the list has been loaded at least once. */
    public boolean ready() {
        return loaded.get() != null;
    }

    /**
     * True when the id is known, false when the registry's list lacks it; fails when that cannot be
     * told (the list was never loaded, or the last reload failed), so the sender retries later. An
     * unknown id triggers one reload at most every {@code known-ids-miss-reload}.
     */
    public Uni<Boolean> isKnown(String buyerId) {
        if (contains(buyerId)) {
            return Uni.createFrom().item(true);
        }
        if (!lastReload.plus(config.knownIdsMissReload()).isBefore(clock.instant())) {
            return lastReloadFailed || !ready() ? Uni.createFrom().failure(new IllegalStateException("buyer ids unknown"))
                    : Uni.createFrom().item(false);
        }
        return reload().map(x -> contains(buyerId));
    }

    /** A buyer announced on {@code buyers.events}. */
    public void add(String buyerId) {
        announced.add(buyerId);
    }

    private boolean contains(String buyerId) {
        Set<String> ids = loaded.get();
        return (ids != null && ids.contains(buyerId)) || announced.contains(buyerId);
    }

    /** One reload at a time; callers during it share its result. */
    synchronized Uni<Void> reload() {
        if (reloading != null) {
            return reloading;
        }
        lastReload = clock.instant();
        Uni<Void> run = registry.buyerIds()
                .invoke(answer -> {
                    Set<String> ids = new HashSet<>();
                    for (UUID id : answer.ids()) {
                        ids.add(id.toString());
                    }
                    loaded.set(Set.copyOf(ids));
                    announced.removeAll(ids);
                    lastReloadFailed = false;
                })
                .onFailure().invoke(e -> {
                    lastReloadFailed = true;
                    Log.warnf("Could not load the buyer ids from buyer-registry: %s", e.toString());
                })
                .replaceWithVoid()
                .onTermination().invoke(() -> {
                    synchronized (this) {
                        reloading = null;
                    }
                })
                .memoize().indefinitely();
        reloading = run;
        return run;
    }
}
