package com.nova.auction.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.auction.client.BuyerDeliveryClient;
import com.nova.auction.client.BuyerDeliveryClient.DeadlineExceededException;
import com.nova.auction.client.BuyerDeliveryClient.RefusedDestinationException;
import com.nova.auction.client.BuyerRegistryClient;
import com.nova.auction.client.ProviderAnswerException;
import com.nova.auction.client.ProviderResponses;
import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.DeliveryRepository;
import com.nova.auction.repository.DeliveryRepository.PendingDelivery;
import com.nova.auction.repository.DeliveryRepository.SoldLead;
import com.nova.kit.config.KitConfig;
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
 * before it recorded that). Timeouts (of the whole exchange), 408, 429 and 5xx are retried with
 * backoff (the stream consumer's); a final 4xx, a delivery URL resolving to a non-public address,
 * or {@code max-attempts} failures, mark the delivery FAILED and move the entry to
 * {@code auction.deliveries.dlq}.
 */
@ApplicationScoped
public class DeliveryWorker {

    public static final String GROUP = "auction-delivery";

    /** A delivery this worker holds, and the lead as the buyer receives it. */
    private record Claim(UUID leadId, UUID buyerId, int attempts, long version, ObjectNode payload) {
    }

    /** How one attempt ended: an HTTP status, or none (-1) and why. */
    private record Answer(int status, String error) {
    }

    private static final class RetryableDeliveryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryableDeliveryException(String message) {
            super(message, null, false, false);
        }
    }

    private final DeliveryRepository store;
    private final StreamConsumers consumers;
    private final BuyerRegistryClient registry;
    private final BuyerDeliveryClient buyers;
    private final AuctionConfig.Delivery config;
    private final KitConfig kit;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;

    public DeliveryWorker(DeliveryRepository store, StreamConsumers consumers, @RestClient BuyerRegistryClient registry,
            BuyerDeliveryClient buyers, AuctionConfig config, KitConfig kit, Clock clock, ObjectMapper mapper,
            MeterRegistry metrics) {
        this.store = store;
        this.consumers = consumers;
        this.registry = registry;
        this.buyers = buyers;
        this.config = config.delivery();
        this.kit = kit;
        this.clock = clock;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (config.workersEnabled()) {
            consumers.subscribe(subscription(kit.streams().consumerName()));
        }
    }

    /** The subscription of one worker; {@code worker} names it in the claim (tests run several). */
    public StreamSubscription subscription(String worker) {
        return new StreamSubscription(LeadIntake.DELIVERY_STREAM, GROUP, handler(worker), config.concurrency());
    }

    public EventHandler handler(String worker) {
        return envelope -> deliver(envelope, worker);
    }

    Uni<Void> deliver(EventEnvelope envelope, String worker) {
        UUID leadId;
        try {
            leadId = UUID.fromString(envelope.subject());
        } catch (RuntimeException e) {
            throw new PoisonEventException("delivery event without a lead id");
        }
        return claim(leadId, worker).chain(claim -> claim == null ? Uni.createFrom().voidItem() : post(claim));
    }

    /** Reads the delivery and takes it by its version; null when it is done or another worker holds it. */
    private Uni<Claim> claim(UUID leadId, String worker) {
        OffsetDateTime now = now();
        return store.find(leadId).chain(d -> {
            if (d == null) {
                // The transaction that wrote the event always wrote the row: an unknown lead is not ours.
                return Uni.createFrom().failure(new PoisonEventException("no delivery for lead " + leadId));
            }
            boolean free = "PENDING".equals(d.status())
                    || ("IN_FLIGHT".equals(d.status()) && d.claimedUntil().isBefore(now));
            if (!free) {
                return Uni.createFrom().nullItem();
            }
            return store.claim(leadId, d.version(), worker, now.plus(config.claimLease()))
                    .map(claimed -> claimed ? new Claim(leadId, d.buyerId(), d.attempts() + 1, d.version() + 1, payload(d))
                            : null);
        });
    }

    private Uni<Void> post(Claim claim) {
        // Whatever fails from here releases the claim (retry) or ends it (failed), never leaves it held.
        return registry.delivery(claim.buyerId())
                .onFailure().invoke(e -> Log.warnf("buyer-registry did not give the delivery endpoint of buyer %s: %s",
                        claim.buyerId(), e.toString()))
                .onFailure().recoverWithUni(e -> (e instanceof ProviderAnswerException
                        ? fail(claim, null, "buyer-registry has no delivery endpoint for this buyer")
                        : outcome(claim, new Answer(-1, "buyer-registry did not answer"))).map(v -> (BuyerRegistryClient.Delivery) null))
                .chain(target -> {
                    if (!"ACTIVE".equals(target.status()) && !"PAUSED".equals(target.status())) {
                        return fail(claim, null, "buyer-" + String.valueOf(target.status()).toLowerCase());
                    }
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Content-Type", "application/json");
                    headers.put("Idempotency-Key", claim.leadId().toString());
                    if (!authorize(headers, target.authConfig())) {
                        return fail(claim, null, "unknown delivery auth type");
                    }
                    return buyers.post(target.deliveryUrl(), headers, json(claim.payload()))
                            .map(status -> new Answer(status, null))
                            .onFailure(RefusedDestinationException.class).recoverWithUni(e -> {
                                Log.warnf("Delivery of lead %s to buyer %s refused: %s", claim.leadId(), claim.buyerId(), e.getMessage());
                                return fail(claim, null, e.getMessage()).replaceWith((Answer) null);
                            })
                            .onFailure(e -> !(e instanceof PoisonEventException)).recoverWithItem(e -> {
                                Log.warnf("Delivery of lead %s to buyer %s failed: %s", claim.leadId(), claim.buyerId(), e.toString());
                                return new Answer(-1, e instanceof DeadlineExceededException ? "timeout: " + e.getMessage()
                                        : "no answer");
                            })
                            .chain(answer -> outcome(claim, answer));
                });
    }

    private Uni<Void> outcome(Claim claim, Answer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return store.delivered(claim.leadId(), claim.version(), now(), status)
                    .invoke(updated -> {
                        metrics.counter("auction_deliveries_total", "result", "delivered").increment();
                        if (!updated) {
                            Log.warnf("Lead %s was delivered after its claim lapsed", claim.leadId());
                        }
                    })
                    .replaceWithVoid();
        }
        String error = status < 0 ? answer.error() : "HTTP " + status;
        if (status > 0 && !ProviderResponses.retryable(status)) {
            return fail(claim, status, error);
        }
        if (claim.attempts() >= config.maxAttempts()) {
            return fail(claim, status < 0 ? null : status, error + " after " + claim.attempts() + " attempts");
        }
        metrics.counter("auction_deliveries_total", "result", "retry").increment();
        return store.release(claim.leadId(), claim.version(), error, status < 0 ? null : status)
                .chain(() -> Uni.createFrom().failure(new RetryableDeliveryException(error)));
    }

    private Uni<Void> fail(Claim claim, Integer status, String error) {
        metrics.counter("auction_deliveries_total", "result", "failed").increment();
        return store.failed(claim.leadId(), claim.version(), error, status)
                .chain(() -> Uni.createFrom().failure(new PoisonEventException("delivery failed for good: " + error)));
    }

    /** Adds the buyer's credentials; false for an auth type we do not know. */
    private static boolean authorize(Map<String, String> headers, Map<String, String> auth) {
        if (auth == null || auth.get("type") == null) {
            return true;
        }
        switch (auth.get("type")) {
            case "basic" -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (auth.get("username") + ":" + auth.get("password")).getBytes(StandardCharsets.UTF_8)));
            case "bearer" -> headers.put("Authorization", "Bearer " + auth.get("token"));
            case "header" -> headers.put(auth.get("name"), auth.get("value"));
            default -> {
                return false;
            }
        }
        return true;
    }

    private ObjectNode payload(PendingDelivery d) {
        SoldLead l = d.lead();
        ObjectNode lead = mapper.createObjectNode();
        lead.put("leadId", d.leadId().toString());
        lead.put("vertical", l.vertical());
        lead.put("firstName", l.firstName());
        lead.put("lastName", l.lastName());
        lead.put("email", l.email());
        lead.put("phone", l.phone());
        lead.put("zip", l.zip());
        lead.put("state", l.state());
        lead.put("trustedFormCertUrl", l.trustedFormCertUrl());
        if (l.comments() != null) {
            lead.put("comments", l.comments());
        }
        lead.put("price", l.price().toPlainString());
        lead.put("currency", "USD");
        lead.put("soldAt", l.soldAt().toString());
        return lead;
    }

    private String json(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
