package com.nova.wallet.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.events.EventContract;
import com.nova.kit.events.StreamConsumers;
import com.nova.kit.events.StreamSubscription;

import io.quarkus.runtime.StartupEvent;

/** Reads {@code wallet.events} in the {@code wallet-service} consumer group (replicas share the work). */
@ApplicationScoped
public class WalletEvents {

    public static final String GROUP = "wallet-service";

    private final StreamConsumers consumers;
    private final GrantService grants;

    public WalletEvents(StreamConsumers consumers, GrantService grants) {
        this.consumers = consumers;
        this.grants = grants;
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribe(subscription());
    }

    public StreamSubscription subscription() {
        return new StreamSubscription(EventContract.Streams.WALLET, GROUP, grants::apply);
    }
}
