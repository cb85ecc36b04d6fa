package com.nova.wallet.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.events.StreamConsumers;
import com.nova.kit.events.StreamSubscription;
import com.nova.wallet.config.WalletConfig;

import io.quarkus.runtime.StartupEvent;

/** Reads {@code wallet.events} in the {@code wallet-service} consumer group (replicas share the work). */
@ApplicationScoped
public class WalletEvents {

    public static final String STREAM = "wallet.events";
    public static final String GROUP = "wallet-service";

    private final StreamConsumers consumers;
    private final GrantService grants;
    private final WalletConfig config;

    public WalletEvents(StreamConsumers consumers, GrantService grants, WalletConfig config) {
        this.consumers = consumers;
        this.grants = grants;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (config.grantsConsumerEnabled()) {
            consumers.subscribe(subscription());
        }
    }

    public StreamSubscription subscription() {
        return new StreamSubscription(STREAM, GROUP, grants::apply);
    }
}
