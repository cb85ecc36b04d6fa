package com.nova.auction.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nova.auction.Auction.LiveBid;
import com.nova.auction.Auction.LiveBidReason;
import com.nova.auction.client.BuyerDeliveryClient;
import com.nova.auction.client.BuyerDeliveryClient.DeadlineExceededException;
import com.nova.auction.client.BuyerRegistryClient;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;
import com.nova.auction.client.BuyerRegistryClient.PingEndpoint;
import com.nova.auction.config.AuctionConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Real-time bidding on a ping: every eligible buyer with a live-bidding endpoint is asked at once,
 * with the anonymous data only, and the ping waits for them until its vertical's deadline. Each
 * answer is kept with its latency and a reason; only {@link LiveBidReason#BID} counts in the auction:
 * a bid that arrives late, is malformed (not {@code {"bid": "<decimal>"}} or {@code {"bid": null}},
 * more than two decimals, not positive), answers an error status or is below the buyer's floor does
 * not. A buyer whose endpoint keeps failing is skipped for a while (a breaker per buyer), so one
 * broken endpoint does not cost every ping its whole deadline.
 */
@ApplicationScoped
public class LiveBids {

    /** A decimal of at most ten integer digits and two decimals, as money is everywhere else. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,10}(\\.[0-9]{1,2})?");

    private final BuyerRegistryClient registry;
    private final BuyerDeliveryClient http;
    private final AuctionConfig.Pings config;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    /** Which endpoint: a changed buyer (new URL or credentials) has a new version and is read again. */
    private record EndpointKey(UUID buyerId, long version) {
    }

    /**
     * Endpoints by buyer id and version, read from buyer-registry (an audited read) once, that one
     * read shared by every ping waiting for it, and read again in the background when a ping finds
     * it older than half the TTL, while the old one still serves: the endpoints of bidders registered together would otherwise all
     * expire on one ping, whose deadline their reads then use up. A read outlives the ask that
     * started it, so a ping past its deadline still leaves the endpoint for the next. A failed read
     * (404: no endpoint; the registry down) is not kept.
     */
    private final AsyncLoadingCache<EndpointKey, PingEndpoint> endpoints;
    private final Cache<UUID, Breaker> breakers = Caffeine.newBuilder().maximumSize(100_000).build();

    public LiveBids(@RestClient BuyerRegistryClient registry, BuyerDeliveryClient http, AuctionConfig config, ObjectMapper mapper,
            MeterRegistry metrics, Clock clock) {
        this.registry = registry;
        this.http = http;
        this.config = config.pings();
        this.mapper = mapper;
        this.metrics = metrics;
        Duration ttl = config.buyers().cacheTtl();
        this.endpoints = Caffeine.newBuilder().ticker(ticker(clock)).maximumSize(100_000).expireAfterWrite(ttl).refreshAfterWrite(ttl.dividedBy(2))
                // No endpoint (404) or the registry down: null, which is not kept (and not logged as a failed load).
                .buildAsync((key, executor) -> registry.pingEndpoint(key.buyerId()).onFailure().recoverWithNull().subscribeAsCompletionStage());
    }

    /**
     * The application clock as the endpoints' cache reads time, so tests that move the clock age
     * the endpoints too; the system clock's monotonic ticker otherwise (a wall clock set back would
     * keep entries longer).
     */
    private static Ticker ticker(Clock clock) {
        if (clock.getClass() == Clock.systemUTC().getClass()) {
            return Ticker.systemTicker();
        }
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** Asks every one of {@code bidders} (live bidders of the ping's vertical) at once; the answers in their order. */
    public Uni<List<LiveBid>> ask(List<EligibleBuyer> bidders, UUID pingId, LeadPing ping) {
        if (bidders.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Duration deadline = config.deadlineFor(ping.vertical());
        String body = body(pingId, ping, deadline);
        List<Uni<LiveBid>> asks = bidders.stream().map(b -> askOne(b, body, deadline)).toList();
        return Uni.join().all(asks).andFailFast().invoke(answers -> answers.forEach(
                a -> metrics.counter("auction_live_bids_total", "reason", a.reason().name().toLowerCase()).increment()));
    }

    private Uni<LiveBid> askOne(EligibleBuyer buyer, String body, Duration deadline) {
        Breaker breaker = breakers.get(buyer.id(), id -> new Breaker());
        if (!breaker.allow(System.nanoTime())) {
            return Uni.createFrom().item(new LiveBid(buyer.id(), null, null, LiveBidReason.BREAKER_OPEN));
        }
        long start = System.nanoTime();
        // Late when it was asked with less than half the deadline left (its endpoint's read took the rest)
        // says nothing about the bidder's endpoint: 0 until it is asked.
        AtomicLong askedAt = new AtomicLong();
        return endpoint(buyer)
                .chain(endpoint -> {
                    if (endpoint == null) {
                        return Uni.createFrom().item(new LiveBid(buyer.id(), null, null, LiveBidReason.NO_ENDPOINT));
                    }
                    askedAt.set(System.nanoTime());
                    return post(buyer, endpoint, body, deadline, start);
                })
                // The deadline covers everything, the endpoint's lookup included; what is still out is cancelled.
                .ifNoItem().after(deadline).recoverWithItem(() -> new LiveBid(buyer.id(), null, millisSince(start), LiveBidReason.LATE))
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("Live bid of buyer %s failed: %s", buyer.id(), e.toString());
                    return new LiveBid(buyer.id(), null, millisSince(start), LiveBidReason.ERROR);
                })
                .invoke(answer -> {
                    long asked = askedAt.get();
                    if (answer.reason() == LiveBidReason.NO_ENDPOINT || (answer.reason() == LiveBidReason.LATE
                            && (asked == 0 || asked - start > deadline.toNanos() / 2))) {
                        breaker.release();
                    } else if (answer.reason().failing()) {
                        breaker.failed(System.nanoTime(), config.breaker().failures(), config.breaker().openFor().toNanos());
                    } else {
                        breaker.succeeded();
                    }
                })
                // A ping given up on (its caller went away) says nothing about the endpoint: a trial it held may be made again.
                .onCancellation().invoke(breaker::release);
    }

    private Uni<PingEndpoint> endpoint(EligibleBuyer buyer) {
        // A ping giving up on it (cancelling) leaves the shared read running for the next ping.
        // Null (no endpoint, or buyer-registry not answering): the buyer is not asked, and its breaker is not charged for it.
        return SharedReads.join(() -> endpoints.get(new EndpointKey(buyer.id(), buyer.version())));
    }

    private Uni<LiveBid> post(EligibleBuyer buyer, PingEndpoint endpoint, String body, Duration deadline, long start) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        if (!DeliveryExchange.authorize(headers, endpoint.authConfig())) {
            return Uni.createFrom().item(new LiveBid(buyer.id(), null, null, LiveBidReason.ERROR));
        }
        BigDecimal floor = endpoint.bidFloor() != null ? endpoint.bidFloor() : buyer.bidFloor();
        return http.bid(endpoint.pingUrl(), headers, body, deadline.toMillis(), config.maxBidBytes())
                .map(answer -> {
                    int latency = millisSince(start);
                    if (answer.status() < 200 || answer.status() >= 300) {
                        return new LiveBid(buyer.id(), null, latency, LiveBidReason.ERROR);
                    }
                    BigDecimal bid;
                    try {
                        bid = bid(mapper, answer.body().getBytes());
                    } catch (IllegalArgumentException malformed) {
                        return new LiveBid(buyer.id(), null, latency, LiveBidReason.MALFORMED);
                    }
                    if (bid == null) {
                        return new LiveBid(buyer.id(), null, latency, LiveBidReason.NO_BID);
                    }
                    if (floor != null && bid.compareTo(floor) < 0) {
                        return new LiveBid(buyer.id(), bid, latency, LiveBidReason.BELOW_FLOOR);
                    }
                    return new LiveBid(buyer.id(), bid, latency, LiveBidReason.BID);
                })
                .onFailure(DeadlineExceededException.class).recoverWithItem(() -> new LiveBid(buyer.id(), null, millisSince(start), LiveBidReason.LATE));
    }

    /**
     * The bid of an answer, exact: {@code {"bid": "12.50"}} or {@code {"bid": 12.5}} (read as the
     * decimal written, never through a binary float); null for {@code {"bid": null}}.
     */
    static BigDecimal bid(ObjectMapper mapper, byte[] answer) {
        JsonNode node;
        try {
            node = mapper.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(answer);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !node.isObject() || !node.has("bid")) {
            throw new IllegalArgumentException("no bid");
        }
        JsonNode bid = node.get("bid");
        if (bid.isNull()) {
            return null;
        }
        BigDecimal amount;
        if (bid.isTextual()) {
            String text = bid.textValue().trim();
            if (!DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException("not a decimal of at most two places");
            }
            amount = new BigDecimal(text);
        } else if (bid.isNumber()) {
            // Judged by scale and precision, never written out: 1e999999999 is 12 bytes of JSON and a gigabyte of digits.
            amount = bid.decimalValue().stripTrailingZeros();
            if (amount.scale() > 2 || amount.precision() - amount.scale() > 10) {
                throw new IllegalArgumentException("not a decimal of at most ten digits and two places");
            }
        } else {
            throw new IllegalArgumentException("not a decimal");
        }
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("not positive");
        }
        return Auctioneer.money(amount);
    }

    private String body(UUID pingId, LeadPing ping, Duration deadline) {
        try {
            return mapper.writeValueAsString(mapper.createObjectNode().put("pingId", pingId.toString()).put("vertical", ping.vertical())
                    .put("zip", ping.zip()).put("state", ping.state()).put("deadlineMs", deadline.toMillis()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int millisSince(long startNanos) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /**
     * One buyer's breaker: closed until {@code failures} answers in a row fail, then open (the buyer
     * is not asked) for {@code openFor}; after that one ping tries it: an answer closes it, a failure
     * opens it again.
     */
    static final class Breaker {
        private final AtomicInteger failuresInARow = new AtomicInteger();
        private volatile long openUntil;
        private volatile boolean open;
        private final AtomicBoolean trying = new AtomicBoolean();

        boolean allow(long now) {
            if (!open) {
                return true;
            }
            return now - openUntil >= 0 && trying.compareAndSet(false, true);
        }

        void succeeded() {
            failuresInARow.set(0);
            open = false;
            trying.set(false);
        }

        void failed(long now, int threshold, long openForNanos) {
            if (trying.get() || failuresInARow.incrementAndGet() >= threshold) {
                openUntil = now + openForNanos;
                open = true;
                failuresInARow.set(0);
                trying.set(false);
            }
        }

        /** An attempt that said nothing about the endpoint (there was none): a trial may be made again. */
        void release() {
            trying.set(false);
        }
    }
}
