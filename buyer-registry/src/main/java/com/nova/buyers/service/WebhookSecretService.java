package com.nova.buyers.service;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.buyers.WebhookSecret;
import com.nova.buyers.config.BuyersConfig;
import com.nova.buyers.repository.WebhookSecretRepository;
import com.nova.buyers.service.BuyerViews.Delivery;
import com.nova.buyers.service.BuyerViews.PingEndpoint;
import com.nova.buyers.service.BuyerViews.RotatedSecret;
import com.nova.buyers.service.BuyerViews.ValidSecret;
import com.nova.buyers.service.BuyerViews.WebhookSecrets;
import com.nova.kit.audit.AuditTrail;
import com.nova.kit.events.EventContract;
import com.nova.kit.outbox.OutboxRelay;
import com.nova.kit.problem.ProblemException;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Secrets in use: webhook secret rotation with a grace period, and the audited reads of secrets
 * and delivery credentials by the services that need them in clear.
 */
@ApplicationScoped
public class WebhookSecretService {

    private final BuyerService buyers;
    private final WebhookSecretRepository secrets;
    private final CredentialStore credentials;
    private final AuditTrail audit;
    private final BuyerEvents events;
    private final OutboxRelay relay;
    private final BuyersConfig.WebhookSecrets config;
    private final MeterRegistry metrics;

    public WebhookSecretService(BuyerService buyers, WebhookSecretRepository secrets, CredentialStore credentials,
            AuditTrail audit, BuyerEvents events, OutboxRelay relay, BuyersConfig config, MeterRegistry metrics) {
        this.buyers = buyers;
        this.secrets = secrets;
        this.credentials = credentials;
        this.audit = audit;
        this.events = events;
        this.relay = relay;
        this.config = config.webhookSecrets();
        this.metrics = metrics;
    }

    /**
     * A new current secret; the previous one keeps verifying until the grace period ends, and at
     * most {@code max-previous} earlier ones with it (older ones stop at once). The
     * buyer row is locked so two rotations at once cannot leave two current secrets.
     */
    @WithSpan
    public Uni<RotatedSecret> rotate(UUID buyerId, String actor) {
        return Panache.withTransaction(() -> rotateInTransaction(buyerId, actor)).invoke(x -> relay.poke());
    }

    private Uni<RotatedSecret> rotateInTransaction(UUID buyerId, String actor) {
        return buyers.findForUpdate(buyerId).chain(buyer -> {
            OffsetDateTime now = buyers.now();
            OffsetDateTime graceEnd = now.plus(config.gracePeriod());
            String secret = CredentialStore.newWebhookSecret();
            WebhookSecret row = new WebhookSecret();
            row.buyerId = buyer.id;
            row.createdAt = now;
            credentials.sealWebhookSecret(row, secret);
            return secrets.deleteExpired(buyer.id, now)
                    .chain(() -> secrets.expireCurrent(buyer.id, graceEnd))
                    .chain(() -> secrets.retireBeyond(buyer.id, config.maxPrevious()))
                    .chain(() -> secrets.persist(row))
                    .chain(() -> audit.record(actor, "buyer.webhook-secret.rotated", BuyerService.target(buyer),
                            Map.of("previousValidUntil", graceEnd.toString())))
                    .chain(() -> events.emit(EventContract.Types.BUYER_SECRET_ROTATED, buyer))
                    .map(x -> {
                        metrics.counter("buyers_operations_total", "operation", "rotate-webhook-secret").increment();
                        return new RotatedSecret(buyer.id, secret, graceEnd);
                    });
        });
    }

    /** The secrets that verify now, for webhook-gateway. Every read is audited. */
    @WithSpan
    @WithTransaction
    public Uni<WebhookSecrets> valid(UUID buyerId, String actor) {
        return buyers.find(buyerId).chain(buyer -> secrets.validAt(buyer.id, buyers.now())
                .chain(rows -> audit.record(actor, "buyer.webhook-secrets.read", BuyerService.target(buyer),
                        Map.of("count", rows.size()))
                        .map(x -> new WebhookSecrets(buyer.id, buyer.status, rows.stream()
                                .map(r -> new ValidSecret(credentials.openWebhookSecret(r, buyer), r.createdAt,
                                        r.expiresAt))
                                .toList()))));
    }

    /** Where and how to deliver a buyer's leads, credentials in clear, for the delivery worker. Audited. */
    @WithSpan
    @WithTransaction
    public Uni<Delivery> delivery(UUID buyerId, String actor) {
        return buyers.find(buyerId).chain(buyer -> audit.record(actor, "buyer.credentials.read",
                BuyerService.target(buyer), Map.of("authType", buyer.authType))
                .map(x -> {
                    metrics.counter("buyers_credential_reads_total").increment();
                    return new Delivery(buyer.id, buyer.status, buyer.deliveryUrl, credentials.openAuthConfig(buyer));
                }));
    }

    /** Where and how to ask a buyer for live bids, credentials in clear, for auction-service's pings. Audited; 404 without one. */
    @WithSpan
    @WithTransaction
    public Uni<PingEndpoint> pingEndpoint(UUID buyerId, String actor) {
        return buyers.find(buyerId).chain(buyer -> {
            if (buyer.pingUrl == null) {
                throw ProblemException.notFound("Ping endpoint");
            }
            return audit.record(actor, "buyer.ping-credentials.read", BuyerService.target(buyer),
                    Map.of("authType", buyer.pingAuthType))
                    .map(x -> {
                        metrics.counter("buyers_credential_reads_total").increment();
                        return new PingEndpoint(buyer.id, buyer.status, buyer.pingUrl, credentials.openPingAuthConfig(buyer),
                                buyer.bidFloor);
                    });
        });
    }
}
