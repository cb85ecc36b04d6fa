package com.nova.gateway.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.gateway.config.GatewayConfig;
import com.nova.kit.ratelimit.RateLimiter;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * One path for every provider: verify the raw bytes, then parse and normalize, then forward
 * atomically with the duplicate check. A refusal is recorded before it fails the delivery with its
 * {@link Rejection}; a forwarding failure fails it with {@link ForwardingUnavailable} so the
 * provider is asked to retry. The REST layer turns both into their answers.
 */
@ApplicationScoped
public class WebhookIntake {

    /** The rate-limit class of verified deliveries per provider account or buyer. */
    static final String ACCOUNT_LIMIT = "webhooks-account";

    /** What the sender is told on success. */
    public record Accepted(String status, int entries) {
    }

    /** The request as the resource received it. */
    public record Delivery(String provider, byte[] body, String contentType, String clientIp, String buyerId) {
    }

    private final GatewayConfig config;
    private final Normalizers normalizers;
    private final Forwarder forwarder;
    private final RejectionLog rejections;
    private final BuyerSecrets buyerSecrets;
    private final KnownBuyers knownBuyers;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final RateLimiter limiter;
    /** One timer per source, looked up once rather than rebuilt on every delivery. */
    private final java.util.concurrent.ConcurrentMap<String, Timer> verificationTimers = new java.util.concurrent.ConcurrentHashMap<>();

    public WebhookIntake(GatewayConfig config, Normalizers normalizers, Forwarder forwarder, RejectionLog rejections,
            BuyerSecrets buyerSecrets, KnownBuyers knownBuyers, ObjectMapper mapper, Clock clock, MeterRegistry metrics,
            RateLimiter limiter) {
        this.config = config;
        this.normalizers = normalizers;
        this.forwarder = forwarder;
        this.rejections = rejections;
        this.buyerSecrets = buyerSecrets;
        this.knownBuyers = knownBuyers;
        this.mapper = mapper;
        this.clock = clock;
        this.metrics = metrics;
        this.limiter = limiter;
    }

    @WithSpan
    public Uni<Accepted> stripe(Delivery d, String signature) {
        return intake(d, () -> {
            List<String> secrets = configured(config.stripe().webhookSecrets().orElse(List.of()), "stripe");
            timed(d, () -> StripeSignatureVerifier.verify(d.body(), signature, secrets, clock, config.timestampTolerance()));
            JsonNode event = WebhookJson.parse(mapper, d.body());
            Normalized normalized = normalizers.stripe(event);
            // Connect events name the connected account; the platform's own events do not.
            String account = WebhookJson.optionalText(event, "/account");
            return perAccount(d, account == null ? "platform" : account).replaceWith(normalized);
        });
    }

    @WithSpan
    public Uni<Accepted> square(Delivery d, String sha256, String sha1, String sharedSecret) {
        return intake(d, () -> {
            List<String> keys = config.square().signatureKeys().orElse(List.of());
            if (!keys.isEmpty()) {
                String url = config.square().notificationUrl().orElseThrow(() -> notConfigured("square notification URL"));
                timed(d, () -> SquareSignatureVerifier.verify(d.body(), sha256, sha1, url, keys,
                        config.square().legacySha1Enabled()));
            } else {
                List<String> fallback = config.square().fallbackSecrets().orElse(List.of());
                if (fallback.isEmpty() || !config.square().allowSharedSecretFallback()) {
                    throw notConfigured("square signature key");
                }
                // Only a shared secret protects this endpoint; say so every time.
                Log.warn("Square webhook accepted on the X-Webhook-Secret fallback: configure SQUARE_WEBHOOK_SIGNATURE_KEY");
                metrics.counter("gateway_square_shared_secret_fallback_total").increment();
                timed(d, () -> SquareSignatureVerifier.verifySharedSecret(sharedSecret, fallback));
            }
            JsonNode event = WebhookJson.parse(mapper, d.body());
            String eventId = WebhookJson.optionalText(event, "/event_id");
            try {
                Instant created = Normalizers.squareCreatedAt(event);
                Instant now = clock.instant();
                if (created.isBefore(now.minus(config.square().maxEventAge()))) {
                    throw new Rejection(Rejection.Reason.STALE, "The event is older than the accepted age", eventId);
                }
                if (created.isAfter(now.plus(config.timestampTolerance()))) {
                    throw new Rejection(Rejection.Reason.FUTURE, "The event's time is outside the accepted window", eventId);
                }
                Normalized normalized = normalizers.square(event);
                String merchant = WebhookJson.optionalText(event, "/merchant_id");
                return perAccount(d, merchant == null ? "unknown" : merchant).replaceWith(normalized);
            } catch (Rejection r) {
                throw r.withEventId(eventId);
            }
        });
    }

    @WithSpan
    public Uni<Accepted> purchase(Delivery d, String sharedSecret) {
        return intake(d, () -> {
            List<String> secrets = configured(config.purchases().secrets().orElse(List.of()), "purchase");
            timed(d, () -> PurchaseSecretVerifier.verify(sharedSecret, secrets));
            JsonNode body = WebhookJson.parse(mapper, d.body());
            Normalized normalized = normalizers.purchase(body);
            try {
                Signatures.requireFresh(WebhookJson.epochSeconds(body, "/ts"), clock, config.timestampTolerance(),
                        normalized.eventId());
            } catch (Rejection r) {
                throw r.withEventId(normalized.eventId());
            }
            return perAccount(d, WebhookJson.text(body, "/merchant_id")).replaceWith(normalized);
        });
    }

    @WithSpan
    public Uni<Accepted> buyer(Delivery d, String id, String timestamp, String signature) {
        return intake(d, () -> {
            if (d.buyerId() == null) {
                throw new Rejection(Rejection.Reason.UNKNOWN_BUYER, "The signature does not verify");
            }
            String messageId = StandardWebhookVerifier.requireHeaders(id, timestamp, signature);
            long started = System.nanoTime();
            return knownBuyers.isKnown(d.buyerId())
                    .onFailure().transform(BuyerRegistryUnavailable::new)
                    .chain(isKnown -> {
                        if (!isKnown) {
                            throw new Rejection(Rejection.Reason.UNKNOWN_BUYER, "The signature does not verify", messageId);
                        }
                        return buyerSecrets.get(d.buyerId());
                    })
                    .chain(cached -> verifies(d, messageId, timestamp, signature, cached) ? Uni.createFrom().item(cached)
                            : buyerSecrets.refresh(d.buyerId(), cached))
                    .map(cached -> {
                        record(d, started);
                        if (!cached.known()) {
                            throw new Rejection(Rejection.Reason.UNKNOWN_BUYER, "The signature does not verify", messageId);
                        }
                        if (!verifies(d, messageId, timestamp, signature, cached)) {
                            throw new Rejection(Rejection.Reason.BAD_SIGNATURE, "The signature does not verify", messageId);
                        }
                        StandardWebhookVerifier.requireFresh(timestamp, clock, config.timestampTolerance(), messageId);
                        try {
                            return normalizers.buyerOutcome(d.buyerId(), messageId,
                                    Instant.ofEpochSecond(Long.parseLong(timestamp)), WebhookJson.parse(mapper, d.body()));
                        } catch (Rejection r) {
                            throw r.withEventId(messageId);
                        }
                    })
                    .call(normalized -> perAccount(d, d.buyerId()));
        });
    }

    /**
     * The sender's own budget, counted only once a delivery verified: junk from anywhere cannot
     * spend a real account's budget, and one account (a looping integration, a leaked buyer
     * secret) cannot take every slot. The per-address limit at the door is the kit's.
     */
    private Uni<Void> perAccount(Delivery d, String account) {
        return limiter.check(ACCOUNT_LIMIT, d.provider() + ":" + account).map(decision -> {
            if (!decision.allowed()) {
                count(d, "limited", "account");
                throw new AccountRateLimited(Math.max(1, (decision.retryAfterMillis() + 999) / 1000));
            }
            return null;
        });
    }

    private static boolean verifies(Delivery d, String id, String timestamp, String signature, BuyerSecrets.Cached c) {
        return c.known() && StandardWebhookVerifier.matches(d.body(), id, timestamp, signature, c.secrets());
    }

    private Uni<Accepted> intake(Delivery d, Supplier<Uni<Normalized>> verifyAndNormalize) {
        Uni<Normalized> normalized;
        try {
            requireJson(d.contentType());
            normalized = verifyAndNormalize.get();
        } catch (Rejection r) {
            normalized = Uni.createFrom().failure(r);
        }
        return normalized
                .chain(n -> n.isIgnored() ? Uni.createFrom().item(ignored(d, n)) : forward(d, n))
                .onFailure(Rejection.class).recoverWithUni(e -> reject(d, (Rejection) e));
    }

    private Accepted ignored(Delivery d, Normalized n) {
        count(d, "ignored", n.eventType() == null ? "none" : "unused_type");
        return new Accepted("ignored", 0);
    }

    private Uni<Accepted> forward(Delivery d, Normalized n) {
        return forwarder.forward(n)
                .onFailure().transform(e -> {
                    metrics.counter("gateway_forward_failures_total", "source", d.provider()).increment();
                    count(d, "failed", "redis_unavailable");
                    Log.errorf("Could not forward %s event %s: %s", d.provider(), n.eventId(), e.toString());
                    return new ForwardingUnavailable(e);
                })
                .map(result -> {
                    String outcome = result.duplicate() ? "duplicate" : result.appended() == 0 ? "already_forwarded" : "forwarded";
                    count(d, outcome, "none");
                    return new Accepted(outcome, result.appended());
                });
    }

    private Uni<Accepted> reject(Delivery d, Rejection r) {
        count(d, "rejected", r.reason().code);
        return rejections.record(d.provider(), r, d.buyerId(), d.clientIp(), d.body())
                .chain(() -> Uni.createFrom().failure(r));
    }

    private static void requireJson(String contentType) {
        String base = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!base.equalsIgnoreCase("application/json")) {
            throw new Rejection(Rejection.Reason.UNSUPPORTED_MEDIA_TYPE, "Webhooks must be sent as application/json");
        }
    }

    private static List<String> configured(List<String> secrets, String what) {
        if (secrets.isEmpty()) {
            throw notConfigured(what + " secret");
        }
        return secrets;
    }

    private static Rejection notConfigured(String what) {
        Log.errorf("Webhook delivery refused: no %s is configured", what);
        return new Rejection(Rejection.Reason.NOT_CONFIGURED, "This endpoint is not configured");
    }

    private void timed(Delivery d, Runnable verification) {
        long started = System.nanoTime();
        try {
            verification.run();
        } finally {
            record(d, started);
        }
    }

    private void record(Delivery d, long startedNanos) {
        verificationTimers.computeIfAbsent(d.provider(), source -> Timer.builder("gateway_verification_seconds")
                .tag("source", source).publishPercentileHistogram().register(metrics))
                .record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    private void count(Delivery d, String outcome, String reason) {
        metrics.counter("gateway_deliveries_total", "source", d.provider(), "outcome", outcome, "reason", reason)
                .increment();
    }
}
