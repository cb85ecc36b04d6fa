package com.nova.auction.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.auction.Auction;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;
import com.nova.auction.client.ProviderUnavailableException;
import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.LeadRepository;
import com.nova.auction.repository.PingRepository;
import com.nova.auction.repository.PingRepository.Ping;
import com.nova.kit.idempotency.IdempotencyKeys;
import com.nova.kit.problem.ProblemException;
import com.nova.kit.text.Digests;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * Prices a ping: the best bid among the vertical's buyers who serve its state and ZIP and have cap
 * and budget left right now (the same exclusions and ranking as an auction), and what the publisher
 * is paid for it. Nothing is reserved: the post reserves when it sells, and sells at no less than
 * the pinged bid or not at all. The ping is stored once per Idempotency-Key.
 */
@ApplicationScoped
public class LeadPings {

    /** What the publisher learns: never who bid. {@code price} and {@code mode} are null when nobody bid. */
    public record PingAnswer(UUID pingId, OffsetDateTime expiresAt,
            @com.fasterxml.jackson.annotation.JsonFormat(shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING) BigDecimal price,
            String mode, @com.fasterxml.jackson.annotation.JsonIgnore boolean replayed) {
    }


    private final Pool pool;
    private final PingRepository pings;
    private final LeadRepository leads;
    private final EligibleBuyers buyers;
    private final AuctionConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final LiveBids liveBids;

    public LeadPings(Pool pool, PingRepository pings, LeadRepository leads, EligibleBuyers buyers, LiveBids liveBids,
            AuctionConfig config, Clock clock, MeterRegistry metrics) {
        this.liveBids = liveBids;
        this.pool = pool;
        this.pings = pings;
        this.leads = leads;
        this.buyers = buyers;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    @WithSpan("lead.ping")
    public Uni<PingAnswer> ping(String publisherId, String key, LeadPing request) {
        request.refuseIdentifying();
        String hash = Digests.sha256Hex(String.join("\u0000", "ping", request.vertical(), request.zip(), request.state()));
        return pings.findByKey(pool, publisherId, key)
                .chain(existing -> existing != null ? Uni.createFrom().item(replay(existing, hash)) : price(publisherId, key, hash, request))
                .invoke(a -> metrics.counter("auction_pings_total", "outcome", a.price() == null ? "no_bid" : "priced").increment());
    }

    private Uni<PingAnswer> price(String publisherId, String key, String hash, LeadPing request) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return buyers.forVertical(request.vertical())
                .onFailure(ProviderUnavailableException.class).transform(e -> new ProblemException(503, "try-again",
                        "Nobody can bid right now (buyer-registry is unavailable); ping again shortly", null, java.util.Map.of("Retry-After", "1")))
                .chain(eligible -> {
                    List<EligibleBuyer> considered = Auctioneer.considered(eligible, request.vertical(), request.state());
                    UUID[] ids = considered.stream().map(EligibleBuyer::id).toArray(UUID[]::new);
                    UUID pingId = UUID.randomUUID();
                    return leads.usage(pool, ids, now.toLocalDate(), now.toLocalDate().withDayOfMonth(1)).chain(usage -> {
                        List<EligibleBuyer> bidders = new ArrayList<>();
                        List<EligibleBuyer> live = new ArrayList<>();
                        for (EligibleBuyer b : considered) {
                            Auction.Usage used = usage.getOrDefault(b.id(), Auction.Usage.NONE);
                            if (!b.liveBidding()) {
                                if (Auctioneer.exclusion(b, request.zip(), used) == null) {
                                    bidders.add(b);
                                }
                            } else if (Auctioneer.exclusion(b.bidding(Auctioneer.lowestLiveBid(b)), request.zip(), used) == null) {
                                // Asked only when it could take the lead at its lowest acceptable bid; its answer is checked again below.
                                live.add(b);
                            }
                        }
                        return liveBids.ask(live, pingId, request).map(answers -> {
                            for (int i = 0; i < live.size(); i++) {
                                Auction.LiveBid answer = answers.get(i);
                                EligibleBuyer b = live.get(i).bidding(answer.bid());
                                if (answer.counts() && Auctioneer.exclusion(b, request.zip(), usage.getOrDefault(b.id(), Auction.Usage.NONE)) == null) {
                                    bidders.add(b);
                                }
                            }
                            List<EligibleBuyer> ranked = Auctioneer.rank(bidders);
                            List<EligibleBuyer> sharedRanked = Auctioneer.sharedCandidates(considered, request.zip(), usage);
                            List<EligibleBuyer> sharers = sharedRanked.subList(0,
                                    Math.min(config.sharing().maxBuyersFor(request.vertical()), sharedRanked.size()));
                            EligibleBuyer best = ranked.isEmpty() ? null : ranked.get(0);
                            Auction.SaleMode mode = Auctioneer.mode(best == null ? null : best.bidAmount(), sharers);
                            BigDecimal share = config.revenue().publisherShare();
                            BigDecimal bid = null;
                            BigDecimal price = null;
                            if (mode == Auction.SaleMode.EXCLUSIVE) {
                                bid = Auctioneer.money(best.bidAmount());
                                price = Auctioneer.payout(bid, share);
                            } else if (mode == Auction.SaleMode.SHARED) {
                                bid = Auctioneer.sharedTotal(sharers);
                                price = Auctioneer.sharedPayouts(sharers, share);
                            }
                            return new Ping(pingId, publisherId, key, hash, request.vertical(), request.zip(), request.state(),
                                    bid, price, mode == Auction.SaleMode.EXCLUSIVE ? best.id() : null, considered.size(), now,
                                    now.plus(config.pings().ttl()), null, answers, mode,
                                    mode == Auction.SaleMode.SHARED ? sharers.stream().map(EligibleBuyer::id).toList() : null);
                        });
                    });
                })
                .chain(ping -> pings.insert(pool, ping).replaceWith(answer(ping, false)))
                .onFailure(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
                        && "lead_ping_idempotency_key".equals(pg.getConstraint()))
                .recoverWithUni(() -> pings.findByKey(pool, publisherId, key).map(existing -> replay(existing, hash)));
    }

    private static PingAnswer replay(Ping existing, String hash) {
        if (!existing.requestHash().equals(hash)) {
            throw IdempotencyKeys.reused("ping");
        }
        return answer(existing, true);
    }

    private static PingAnswer answer(Ping p, boolean replayed) {
        return new PingAnswer(p.id(), p.expiresAt(), p.price(), p.mode() == null ? null : p.mode().name().toLowerCase(java.util.Locale.ROOT),
                replayed);
    }
}
