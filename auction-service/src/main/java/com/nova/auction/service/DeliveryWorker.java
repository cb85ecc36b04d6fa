package com.nova.auction.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.DeliveryRepository;
import com.nova.auction.repository.DeliveryRepository.SoldLead;
import com.nova.auction.service.DeliveryExchange.Result;
import com.nova.kit.config.KitConfig;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.EventHandler;
import com.nova.kit.events.PoisonEventException;
import com.nova.kit.events.StreamConsumers;
import com.nova.kit.events.StreamSubscription;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Posts each sold lead to its buyer. Entries of {@code auction.deliveries} are shared out by the
 * consumer group; a worker then claims the delivery row by its version (optimistic locking: of
 * two workers holding the same lead, exactly one update matches) and a lease, so a lead is posted
 * once even when the relay published its event twice. Every post carries {@code Idempotency-Key:
 * <lead id>} for the one case no lock can cover (a worker dying after the buyer received the post,
 * before it recorded that). The exchange itself is {@link DeliveryExchange}'s; here: claim, exchange,
 * record. Timeouts (of the whole exchange), 408, 429 and 5xx are retried with backoff (the stream
 * consumer's); a final 4xx, a delivery URL resolving to a non-public address, or
 * {@code max-attempts} failures, mark the delivery FAILED and move the entry to
 * {@code auction.deliveries.dlq}.
 */
@ApplicationScoped
public class DeliveryWorker {

    public static final String GROUP = "auction-delivery";

    /** A delivery this worker holds: the attempt it is, the version the claim left the row at, the lead the buyer receives. */
    private record Claim(UUID leadId, UUID buyerId, int attempts, long version, SoldLead lead) {
    }

    private static final class RetryableDeliveryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryableDeliveryException(String message) {
            super(message, null, false, false);
        }
    }

    private final DeliveryRepository store;
    private final StreamConsumers consumers;
    private final DeliveryExchange exchange;
    private final AuctionConfig.Delivery config;
    private final KitConfig kit;
    private final Clock clock;
    private final MeterRegistry metrics;

    public DeliveryWorker(DeliveryRepository store, StreamConsumers consumers, DeliveryExchange exchange, AuctionConfig config,
            KitConfig kit, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.consumers = consumers;
        this.exchange = exchange;
        this.config = config.delivery();
        this.kit = kit;
        this.clock = clock;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribe(subscription(kit.streams().consumerName()));
    }

    /** The subscription of one worker; {@code worker} names it in the claim (tests run several). */
    public StreamSubscription subscription(String worker) {
        return new StreamSubscription(EventContract.Streams.AUCTION_DELIVERIES, GROUP, handler(worker), config.concurrency());
    }

    public EventHandler handler(String worker) {
        return envelope -> deliver(envelope, worker);
    }

    Uni<Void> deliver(EventEnvelope envelope, String worker) {
        UUID leadId;
        UUID buyerId;
        try {
            leadId = UUID.fromString(envelope.subject());
            // Each sale of a shared lead has its own event and delivery; its buyer tells them apart.
            String buyer = envelope.data() == null ? null : envelope.data().path("buyerId").asText(null);
            buyerId = buyer == null ? null : UUID.fromString(buyer);
        } catch (RuntimeException e) {
            throw new PoisonEventException("delivery event without a lead id");
        }
        // Whatever the exchange ends with releases the claim (retry) or ends it (delivered, failed), never leaves it held.
        return claim(leadId, buyerId, worker).chain(claim -> claim == null ? Uni.createFrom().voidItem()
                : exchange.deliver(claim.leadId(), claim.buyerId(), claim.lead()).chain(result -> record(claim, result)));
    }

    /**
     * Reads the delivery and takes it by its version; null when it is done (delivered or failed for
     * good): an entry is acknowledged only then. While another claim holds it (its lease runs, or it
     * took the row first) the entry fails, to come back after claim-idle (longer than the lease): by
     * then the holder has recorded how its attempt ended, or its lease lapsed and the delivery is
     * claimed again. Acknowledging it instead would lose the lead whenever the holder cannot record
     * (it died, its claim or result never reached the database, or it holds this very entry, reclaimed
     * from it while it was slow) and no other entry is left to finish it.
     */
    private Uni<Claim> claim(UUID leadId, UUID buyerId, String worker) {
        OffsetDateTime now = now();
        return store.findAndClaim(leadId, buyerId, worker, now, now.plus(config.claimLease())).chain(found -> {
            if (found == null) {
                // The transaction that wrote the event always wrote the row: an unknown lead is not ours.
                return Uni.createFrom().failure(new PoisonEventException("no delivery for lead " + leadId));
            }
            DeliveryRepository.PendingDelivery d = found.delivery();
            if (found.claimed()) {
                return Uni.createFrom().item(new Claim(leadId, d.buyerId(), d.attempts() + 1, d.version() + 1, d.lead()));
            }
            if ("DELIVERED".equals(d.status()) || "FAILED".equals(d.status())) {
                return Uni.createFrom().nullItem();
            }
            if ("IN_FLIGHT".equals(d.status()) && !d.claimedUntil().isBefore(now)) {
                return Uni.createFrom().failure(new RetryableDeliveryException(
                        "delivery of lead " + leadId + " is claimed until " + d.claimedUntil() + "; retried after claim-idle"));
            }
            // Another worker changed the row first (it claimed it): the entry is left for later, as a running lease is.
            return Uni.createFrom().failure(new RetryableDeliveryException(
                    "delivery of lead " + leadId + " was claimed by another worker first; retried after claim-idle"));
        });
    }

    /** Records how the attempt ended; a retry fails the entry (the stream retries it later) unless the attempts are used up. */
    private Uni<Void> record(Claim claim, Result result) {
        return switch (result.kind()) {
            // Delivered after the claim lapsed: the worker that claimed it since records it, and this entry
            // comes back after claim-idle to find it so (or claims it again: the post repeats its Idempotency-Key).
            case DELIVERED -> store.delivered(claim.leadId(), claim.buyerId(), claim.version(), now(), result.status())
                    .chain(updated -> {
                        metrics.counter("auction_deliveries_total", "result", "delivered").increment();
                        if (updated) {
                            return Uni.createFrom().voidItem();
                        }
                        Log.warnf("Lead %s was delivered after its claim lapsed", claim.leadId());
                        return Uni.createFrom().failure(new RetryableDeliveryException(
                                "lead " + claim.leadId() + " was delivered after its claim lapsed; retried after claim-idle"));
                    });
            case FAIL -> fail(claim, result.status(), result.error());
            case RETRY -> claim.attempts() >= config.maxAttempts()
                    ? fail(claim, result.status(), result.error() + " after " + claim.attempts() + " attempts")
                    : retry(claim, result);
        };
    }

    private Uni<Void> retry(Claim claim, Result result) {
        metrics.counter("auction_deliveries_total", "result", "retry").increment();
        return store.release(claim.leadId(), claim.buyerId(), claim.version(), result.error(), result.status())
                .chain(() -> Uni.createFrom().failure(new RetryableDeliveryException(result.error())));
    }

    private Uni<Void> fail(Claim claim, Integer status, String error) {
        metrics.counter("auction_deliveries_total", "result", "failed").increment();
        return store.failed(claim.leadId(), claim.buyerId(), claim.version(), error, status)
                .chain(() -> Uni.createFrom().failure(new PoisonEventException("delivery failed for good: " + error)));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
