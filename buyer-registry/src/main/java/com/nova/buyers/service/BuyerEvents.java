package com.nova.buyers.service;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.buyers.Buyer;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.outbox.Outbox;

import io.smallrye.mutiny.Uni;

/**
 * {@code buyers.events}: what changed about a buyer, so auction-service and webhook-gateway drop
 * cached buyers and secrets at once. Written to the outbox in the change's own transaction; never
 * carries a credential or secret.
 */
@ApplicationScoped
public class BuyerEvents {

    private final Outbox outbox;
    private final Clock clock;

    public BuyerEvents(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<Void> emit(String type, Buyer buyer) {
        ObjectNode data = JsonNodeFactory.instance.objectNode()
                .put("buyerId", buyer.id.toString())
                .put("status", buyer.status.name())
                .put("version", buyer.version);
        return outbox.enqueue(EventContract.Streams.BUYERS, EventEnvelope.create(type, "buyer-registry", UUID.randomUUID().toString(),
                clock.instant(), buyer.id.toString(), data));
    }
}
