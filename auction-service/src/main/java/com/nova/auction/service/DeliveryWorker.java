package com.nova.auction.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.auction.client.BuyerRegistryClient;
import com.nova.auction.client.ProviderAnswerException;
import com.nova.auction.client.ProviderResponses;
import com.nova.auction.config.AuctionConfig;
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
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Posts each sold lead to its buyer. Entries of {@code auction.deliveries} are shared out by the
 * consumer group; a worker then claims the delivery row by its version (optimistic locking: of
 * two workers holding the same lead, exactly one update matches) and a lease, so a lead is posted
 * once even when the relay published its event twice. Every post carries {@code Idempotency-Key:
 * <lead id>} for the one case no lock can cover (a worker dying after the buyer received the post,
 * before it recorded that). Timeouts, 408, 429 and 5xx are retried with backoff (the stream
 * consumer's); a final 4xx, or {@code max-attempts} failures, mark the delivery FAILED and move the
 * entry to {@code auction.deliveries.dlq}.
 */
@ApplicationScoped
public class DeliveryWorker {

    public static final String GROUP = "auction-delivery";

    /** The lead as the buyer receives it. */
    private record Claim(UUID leadId, UUID buyerId, int attempts, long version, ObjectNode payload) {
    }

    private static final class RetryableDeliveryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryableDeliveryException(String message) {
            super(message, null, false, false);
        }
    }

    private final Pool pool;
    private final StreamConsumers consumers;
    private final BuyerRegistryClient registry;
    private final AuctionConfig.Delivery config;
    private final KitConfig kit;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final HttpClient http;

    public DeliveryWorker(Pool pool, StreamConsumers consumers, @RestClient BuyerRegistryClient registry, AuctionConfig config,
            KitConfig kit, Clock clock, ObjectMapper mapper, MeterRegistry metrics, Vertx vertx) {
        this.pool = pool;
        this.consumers = consumers;
        this.registry = registry;
        this.config = config.delivery();
        this.kit = kit;
        this.clock = clock;
        this.mapper = mapper;
        this.metrics = metrics;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) this.config.requestTimeout().toMillis())
                .setMaxPoolSize(50)
                .setKeepAlive(true));
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
        return pool.preparedQuery("""
                select d.buyer_id, d.status, d.attempts, d.version, d.claimed_until, l.vertical, l.first_name, l.last_name,
                       l.email, l.phone, l.zip, l.state, l.trusted_form_cert_url, l.comments, l.price, l.updated_at
                from delivery d join lead l on l.id = d.lead_id where d.lead_id = $1""")
                .execute(Tuple.of(leadId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        // The transaction that wrote the event always wrote the row: an unknown lead is not ours.
                        return Uni.createFrom().failure(new PoisonEventException("no delivery for lead " + leadId));
                    }
                    Row r = rows.iterator().next();
                    String status = r.getString("status");
                    boolean free = "PENDING".equals(status)
                            || ("IN_FLIGHT".equals(status) && r.getOffsetDateTime("claimed_until").isBefore(now));
                    if (!free) {
                        return Uni.createFrom().nullItem();
                    }
                    long version = r.getLong("version");
                    return pool.preparedQuery("""
                            update delivery set status = 'IN_FLIGHT', attempts = attempts + 1, claimed_by = $3,
                                   claimed_until = $4, version = version + 1
                            where lead_id = $1 and version = $2""")
                            .execute(Tuple.of(leadId, version, worker, now.plus(config.claimLease())))
                            .map(updated -> updated.rowCount() == 0 ? null
                                    : new Claim(leadId, r.getUUID("buyer_id"), r.getInteger("attempts") + 1, version + 1,
                                            payload(leadId, r)));
                });
    }

    private Uni<Void> post(Claim claim) {
        // Whatever fails from here releases the claim (retry) or ends it (failed), never leaves it held.
        return registry.delivery(claim.buyerId())
                .onFailure().invoke(e -> Log.warnf("buyer-registry did not give the delivery endpoint of buyer %s: %s",
                        claim.buyerId(), e.toString()))
                .onFailure().recoverWithUni(e -> (e instanceof ProviderAnswerException
                        ? fail(claim, null, "buyer-registry has no delivery endpoint for this buyer")
                        : outcome(claim, -1)).map(v -> (BuyerRegistryClient.Delivery) null))
                .chain(target -> {
                    if (!"ACTIVE".equals(target.status()) && !"PAUSED".equals(target.status())) {
                        return fail(claim, null, "buyer-" + String.valueOf(target.status()).toLowerCase());
                    }
                    RequestOptions options = new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setAbsoluteURI(target.deliveryUrl())
                            .setTimeout(config.requestTimeout().toMillis())
                            .putHeader("Content-Type", "application/json")
                            .putHeader("Idempotency-Key", claim.leadId().toString());
                    authorize(options, target.authConfig());
                    return http.request(options)
                            .chain(request -> request.send(Buffer.buffer(json(claim.payload()))))
                            .chain(response -> response.body().map(body -> response.statusCode()))
                            .onFailure(e -> !(e instanceof PoisonEventException))
                            .recoverWithItem(e -> {
                                Log.warnf("Delivery of lead %s to buyer %s failed: %s", claim.leadId(), claim.buyerId(), e.toString());
                                return -1;
                            })
                            .chain(status -> outcome(claim, status));
                });
    }

    private Uni<Void> outcome(Claim claim, int status) {
        if (status >= 200 && status < 300) {
            return pool.preparedQuery("""
                    update delivery set status = 'DELIVERED', delivered_at = $3, response_code = $4, claimed_until = null,
                           last_error = null, version = version + 1
                    where lead_id = $1 and version = $2""")
                    .execute(Tuple.of(claim.leadId(), claim.version(), now(), status))
                    .invoke(rows -> {
                        metrics.counter("auction_deliveries_total", "result", "delivered").increment();
                        if (rows.rowCount() == 0) {
                            Log.warnf("Lead %s was delivered after its claim lapsed", claim.leadId());
                        }
                    })
                    .replaceWithVoid();
        }
        String error = status < 0 ? "no answer" : "HTTP " + status;
        if (status > 0 && !ProviderResponses.retryable(status)) {
            return fail(claim, status, error);
        }
        if (claim.attempts() >= config.maxAttempts()) {
            return fail(claim, status < 0 ? null : status, error + " after " + claim.attempts() + " attempts");
        }
        metrics.counter("auction_deliveries_total", "result", "retry").increment();
        return pool.preparedQuery("""
                update delivery set status = 'PENDING', claimed_until = null, last_error = $3, response_code = $4,
                       version = version + 1
                where lead_id = $1 and version = $2""")
                .execute(Tuple.of(claim.leadId(), claim.version(), error, status < 0 ? null : status))
                .chain(() -> Uni.createFrom().failure(new RetryableDeliveryException(error)));
    }

    private Uni<Void> fail(Claim claim, Integer status, String error) {
        metrics.counter("auction_deliveries_total", "result", "failed").increment();
        return pool.preparedQuery("""
                update delivery set status = 'FAILED', claimed_until = null, last_error = $3, response_code = $4,
                       version = version + 1
                where lead_id = $1 and version = $2""")
                .execute(Tuple.of(claim.leadId(), claim.version(), error, status))
                .chain(() -> Uni.createFrom().failure(new PoisonEventException("delivery failed for good: " + error)));
    }

    private static void authorize(RequestOptions options, Map<String, String> auth) {
        if (auth == null || auth.get("type") == null) {
            return;
        }
        switch (auth.get("type")) {
            case "basic" -> options.putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (auth.get("username") + ":" + auth.get("password")).getBytes(StandardCharsets.UTF_8)));
            case "bearer" -> options.putHeader("Authorization", "Bearer " + auth.get("token"));
            case "header" -> options.putHeader(auth.get("name"), auth.get("value"));
            default -> throw new PoisonEventException("unknown delivery auth type");
        }
    }

    private ObjectNode payload(UUID leadId, Row r) {
        ObjectNode lead = mapper.createObjectNode();
        lead.put("leadId", leadId.toString());
        lead.put("vertical", r.getString("vertical"));
        lead.put("firstName", r.getString("first_name"));
        lead.put("lastName", r.getString("last_name"));
        lead.put("email", r.getString("email"));
        lead.put("phone", r.getString("phone"));
        lead.put("zip", r.getString("zip"));
        lead.put("state", r.getString("state"));
        lead.put("trustedFormCertUrl", r.getString("trusted_form_cert_url"));
        if (r.getString("comments") != null) {
            lead.put("comments", r.getString("comments"));
        }
        lead.put("price", r.getBigDecimal("price").toPlainString());
        lead.put("currency", "USD");
        lead.put("soldAt", r.getOffsetDateTime("updated_at").toString());
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
