package com.nova.auction.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.auction.Auction;
import com.nova.auction.client.BuyerDeliveryClient;
import com.nova.auction.client.BuyerDeliveryClient.DeadlineExceededException;
import com.nova.auction.client.BuyerDeliveryClient.RefusedDestinationException;
import com.nova.auction.client.BuyerRegistryClient.Delivery;
import com.nova.auction.client.ProviderAnswerException;
import com.nova.auction.client.ProviderResponses;
import com.nova.auction.repository.DeliveryRepository.SoldLead;
import com.nova.kit.idempotency.IdempotencyKeys;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * One delivery attempt's HTTP exchange with the buyer: its endpoint and credentials from
 * buyer-registry ({@link EligibleBuyers#deliveryTarget}, cached), the lead as the buyer receives it,
 * the POST (through {@link BuyerDeliveryClient}, with {@code Idempotency-Key: <lead id>}), and what
 * the answer means: delivered, worth another attempt (no answer, a timeout, 408, 429, 5xx,
 * buyer-registry down), or failed for good. A 401 or 403 to cached credentials reads them again and,
 * if they changed (before {@code buyers.events} said so), posts once more at once. Records nothing:
 * {@link DeliveryWorker} does, under its claim.
 */
@ApplicationScoped
public class DeliveryExchange {

    /** How one attempt ended: {@code status} is the buyer's HTTP status, null when there was none. */
    public record Result(Kind kind, Integer status, String error) {

        public enum Kind {
            DELIVERED, RETRY, FAIL
        }

        static Result delivered(int status) {
            return new Result(Kind.DELIVERED, status, null);
        }

        static Result retry(Integer status, String error) {
            return new Result(Kind.RETRY, status, error);
        }

        static Result fail(Integer status, String error) {
            return new Result(Kind.FAIL, status, error);
        }
    }

    /** An offer whose first exchange left less than this of its timeout is not tried again with new credentials. */
    private static final long MIN_MILLIS_FOR_ANOTHER_OFFER = 100;

    private final EligibleBuyers directory;
    private final BuyerDeliveryClient buyers;
    private final ObjectMapper mapper;

    public DeliveryExchange(EligibleBuyers directory, BuyerDeliveryClient buyers, ObjectMapper mapper) {
        this.directory = directory;
        this.buyers = buyers;
        this.mapper = mapper;
    }

    /** Posts the sold lead to its buyer; never fails for what the buyer or buyer-registry did (that is the result). */
    public Uni<Result> deliver(UUID leadId, UUID buyerId, SoldLead lead) {
        return directory.deliveryTarget(buyerId)
                .onFailure().invoke(e -> Log.warnf("buyer-registry did not give the delivery endpoint of buyer %s: %s",
                        buyerId, e.toString()))
                .onItemOrFailure().transformToUni((target, e) -> e == null
                        ? post(leadId, buyerId, lead, target.delivery()).chain(result -> againIfRefused(buyerId, target, result.status(),
                                result, null, fresh -> post(leadId, buyerId, lead, fresh)))
                        : Uni.createFrom().item(e instanceof ProviderAnswerException
                                ? Result.fail(null, "buyer-registry has no delivery endpoint for this buyer")
                                : Result.retry(null, "buyer-registry did not answer")));
    }

    /**
     * {@code first} is the buyer's answer to the target {@code used}. When those were cached
     * credentials and the buyer refused them (401, 403), they are read again, and only if they
     * changed meanwhile (buyers.events not here yet) is the exchange made once more with the new
     * ones; otherwise, or when the read fails or takes longer than {@code readWithin} (null: the
     * client's own timeout), {@code first} stands: a buyer refusing what buyer-registry holds gets
     * one post, as without a cache.
     */
    private <T> Uni<T> againIfRefused(UUID buyerId, EligibleBuyers.Target used, Integer status, T first, java.time.Duration readWithin,
            java.util.function.Function<Delivery, Uni<T>> again) {
        if (!used.cached() || !refusedCredentials(status)) {
            return Uni.createFrom().item(first);
        }
        directory.forgetDeliveryTarget(buyerId);
        Uni<EligibleBuyers.Target> read = directory.deliveryTarget(buyerId);
        if (readWithin != null) {
            read = read.ifNoItem().after(readWithin).fail();
        }
        return read.onItemOrFailure().transformToUni((fresh, e) -> e != null || fresh.delivery().equals(used.delivery())
                ? Uni.createFrom().item(first)
                : again.apply(fresh.delivery()));
    }

    private static boolean refusedCredentials(Integer status) {
        return status != null && (status == 401 || status == 403);
    }

    private Uni<Result> post(UUID leadId, UUID buyerId, SoldLead lead, Delivery target) {
        if (!"ACTIVE".equals(target.status()) && !"PAUSED".equals(target.status())) {
            return Uni.createFrom().item(Result.fail(null, "buyer-" + String.valueOf(target.status()).toLowerCase()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(IdempotencyKeys.HEADER, leadId.toString());
        if (!authorize(headers, target.authConfig())) {
            return Uni.createFrom().item(Result.fail(null, "unknown delivery auth type"));
        }
        return buyers.post(target.deliveryUrl(), headers, json(payload(leadId, lead)))
                .map(DeliveryExchange::classify)
                .onFailure(RefusedDestinationException.class).recoverWithItem(e -> {
                    Log.warnf("Delivery of lead %s to buyer %s refused: %s", leadId, buyerId, e.getMessage());
                    return Result.fail(null, e.getMessage());
                })
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Delivery of lead %s to buyer %s failed: %s", leadId, buyerId, e.toString());
                    return Result.retry(null, e instanceof DeadlineExceededException ? "timeout: " + e.getMessage() : "no answer");
                });
    }

    /**
     * Offers the lead to a post-accept buyer (the waterfall): posted as a delivery is, and the
     * buyer's answer decides: 2xx with {@code {"accepted": true}} takes it; {@code {"accepted":
     * false, "reason": "..."}}, another body, an error status, no answer within {@code timeout} or
     * no endpoint is a rejection with its reason. Never fails. {@code offerKey} is the offer's
     * Idempotency-Key: the same for a retry of the same publisher's post.
     */
    public Uni<Auction.Offer> offer(String offerKey, UUID leadId, UUID buyerId, SoldLead lead, java.time.Duration timeout) {
        long start = System.nanoTime();
        return directory.deliveryTarget(buyerId)
                .ifNoItem().after(timeout).fail()
                .onItemOrFailure().transformToUni((target, e) -> {
                    if (e != null) {
                        return Uni.createFrom().item(offer(buyerId, lead, false, "no-endpoint", null, start));
                    }
                    return offer(offerKey, leadId, buyerId, lead, target.delivery(), timeout, start).chain(answer -> {
                        long left = timeout.toMillis() - millisSince(start);
                        return left < MIN_MILLIS_FOR_ANOTHER_OFFER ? Uni.createFrom().item(answer)
                                : againIfRefused(buyerId, target, answer.status(), answer, java.time.Duration.ofMillis(left),
                                        fresh -> offer(offerKey, leadId, buyerId, lead, fresh, timeout, start));
                    });
                });
    }

    /** One offer's exchange with {@code target}, within what is left of {@code timeout} since {@code start}. */
    private Uni<Auction.Offer> offer(String offerKey, UUID leadId, UUID buyerId, SoldLead lead, Delivery target, java.time.Duration timeout,
            long start) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(IdempotencyKeys.HEADER, offerKey);
        if (!authorize(headers, target.authConfig())) {
            return Uni.createFrom().item(offer(buyerId, lead, false, "no-endpoint", null, start));
        }
        ObjectNode body = payload(leadId, lead).put("acceptRequired", true);
        long left = Math.max(1, timeout.toMillis() - millisSince(start));
        return buyers.exchange(target.deliveryUrl(), headers, json(body), left, 4096)
                .map(answer -> {
                    if (answer.status() < 200 || answer.status() >= 300) {
                        return offer(buyerId, lead, false, "http-" + answer.status(), answer.status(), start);
                    }
                    JsonNode decision;
                    try {
                        decision = mapper.readTree(answer.body().getBytes());
                    } catch (java.io.IOException malformed) {
                        decision = null;
                    }
                    if (decision == null || !decision.path("accepted").isBoolean()) {
                        return offer(buyerId, lead, false, "malformed-answer", answer.status(), start);
                    }
                    if (decision.get("accepted").booleanValue()) {
                        return offer(buyerId, lead, true, null, answer.status(), start);
                    }
                    return offer(buyerId, lead, false, reason(decision.path("reason").asText("")), answer.status(), start);
                })
                .onFailure().recoverWithItem(failure -> offer(buyerId, lead, false,
                        failure instanceof DeadlineExceededException ? "timeout" : "no-answer", null, start));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * A buyer's reason as we keep it (JSON in the auction row and the audit): printable characters
     * only (no control characters, which PostgreSQL's JSON refuses as {@code \u0000}, no lone
     * surrogates), at most 200 of them.
     */
    static String reason(String raw) {
        StringBuilder kept = new StringBuilder();
        raw.codePoints().filter(cp -> !Character.isISOControl(cp) && !(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE))
                .limit(200).forEach(kept::appendCodePoint);
        String reason = kept.toString().strip();
        return reason.isEmpty() ? "rejected" : reason;
    }

    private static Auction.Offer offer(UUID buyerId, SoldLead lead, boolean accepted, String reason, Integer status, long start) {
        return new Auction.Offer(buyerId, lead.price(), accepted, reason, status, (int) ((System.nanoTime() - start) / 1_000_000));
    }

    /** 2xx is delivered; 408, 429 and 5xx are worth another attempt; any other status is final. */
    static Result classify(int status) {
        if (status >= 200 && status < 300) {
            return Result.delivered(status);
        }
        String error = "HTTP " + status;
        return ProviderResponses.retryable(status) ? Result.retry(status, error) : Result.fail(status, error);
    }

    /** Adds the buyer's credentials; false for an auth type we do not know. */
    static boolean authorize(Map<String, String> headers, Map<String, String> auth) {
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

    /** The lead as the buyer receives it. */
    private ObjectNode payload(UUID leadId, SoldLead l) {
        ObjectNode lead = mapper.createObjectNode();
        lead.put("leadId", leadId.toString());
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
}
