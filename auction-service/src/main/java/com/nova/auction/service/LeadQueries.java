package com.nova.auction.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.nova.auction.Auction;
import com.nova.auction.LeadRecord;
import com.nova.auction.repository.LeadReadRepository;
import com.nova.auction.repository.LeadReadRepository.RevenueGrouping;
import com.nova.auction.repository.LeadReadRepository.RevenueSum;
import com.nova.auction.repository.LeadRepository;
import com.nova.auction.repository.PingRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Reads: a lead, its auction, the revenue report; what is not there is null, for the caller to answer. */
@ApplicationScoped
public class LeadQueries {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LeadView(UUID id, String publisherId, String vertical, String firstName, String lastName, String email,
            String phone, String zip, String state, String trustedFormCertUrl, String comments, LeadRecord.LeadStatus status,
            String reason, UUID buyerId, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price,
            OffsetDateTime createdAt, OffsetDateTime updatedAt, String delivery,
            /** {@code exclusive} or {@code shared}, once sold. */
            String mode,
            /** A shared lead's sales, each delivered, billed and returned on its own. */
            List<SaleView> sales) {
    }

    public record SaleView(UUID buyerId, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price, boolean returned,
            String delivery) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BidView(UUID buyerId, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bid,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal sharedBid, String outcome) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuctionView(UUID leadId, OffsetDateTime decidedAt, UUID winnerId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price, String decidingRule, List<BidView> bids,
            /** A post of a ping: every live bidder's answer to the ping (bid, latency, reason); absent otherwise. */
            List<Auction.LiveBid> liveBids,
            /** The waterfall: each post-accept buyer offered the lead, in order, and its answer; absent when none was. */
            List<Auction.Offer> offers) {
    }

    public record RevenueRow(String key, long sales, long returns,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal payout,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal margin) {
    }

    /** The groupings {@link #revenue} accepts. */
    public static final Set<String> GROUPINGS = Set.of("day", "buyer", "vertical");

    public record RevenueReport(LocalDate from, LocalDate to, String groupBy, List<RevenueRow> rows, RevenueRow totals) {
    }

    private final Pool pool;
    private final LeadRepository store;
    private final LeadReadRepository reads;
    private final PingRepository pings;

    public LeadQueries(Pool pool, LeadRepository store, LeadReadRepository reads, PingRepository pings) {
        this.pool = pool;
        this.store = store;
        this.reads = reads;
        this.pings = pings;
    }

    /** The lead, or null when there is none. */
    public Uni<LeadRecord> lead(UUID id) {
        return store.find(pool, id);
    }

    public Uni<LeadView> view(LeadRecord l) {
        boolean shared = l.saleMode() == Auction.SaleMode.SHARED;
        Uni<List<SaleView>> sales = !shared ? Uni.createFrom().nullItem()
                : reads.sales(l.id()).map(rows -> rows.stream().map(r -> new SaleView(r.buyerId(), r.price(), r.returned(), r.delivery())).toList());
        Uni<String> delivery = shared ? Uni.createFrom().nullItem() : reads.deliveryStatus(l.id());
        return delivery.chain(d -> sales.map(list -> new LeadView(l.id(), l.publisherId(), l.vertical(), l.firstName(), l.lastName(),
                l.email(), l.phone(), l.zip(), l.state(), l.trustedFormCertUrl(), l.comments(), l.status(), l.statusReason(),
                l.buyerId(), l.price(), l.createdAt(), l.updatedAt(), d,
                l.saleMode() == null ? null : l.saleMode().name().toLowerCase(java.util.Locale.ROOT), list)));
    }

    /**
     * The auction of a lead with every considered buyer's bid and outcome; {@code onlyBuyer} narrows it to one buyer's own.
     * Null when the lead has no auction, or {@code onlyBuyer} had no bid in it.
     */
    public Uni<AuctionView> auction(UUID leadId, UUID onlyBuyer) {
        return reads.auction(leadId)
                .chain(a -> {
                    if (a == null) {
                        return Uni.createFrom().<AuctionView>nullItem();
                    }
                    return reads.bids(leadId, onlyBuyer).chain(bids -> pings.liveBidsOfLead(pool, leadId).map(answers -> {
                        List<BidView> list = bids.stream().map(b -> new BidView(b.buyerId(), b.bid(), b.sharedBid(), b.outcome())).toList();
                        List<Auction.LiveBid> live = answers.stream()
                                .filter(l -> onlyBuyer == null || l.buyerId().equals(onlyBuyer)).toList();
                        List<Auction.Offer> offers = a.offers().stream()
                                .filter(o -> onlyBuyer == null || o.buyerId().equals(onlyBuyer)).toList();
                        if (onlyBuyer != null && list.isEmpty() && live.isEmpty()) {
                            return null;
                        }
                        boolean hideWinner = onlyBuyer != null;
                        return new AuctionView(leadId, a.decidedAt(), hideWinner ? null : a.winnerId(), hideWinner ? null : a.price(),
                                a.decidingRule(), list, live.isEmpty() ? null : live, offers.isEmpty() ? null : offers);
                    }));
                });
    }

    /** Exact sums of revenue booked in [from, to) (UTC days), grouped by day, buyer or vertical (one of {@link #GROUPINGS}). */
    public Uni<RevenueReport> revenue(LocalDate from, LocalDate to, String groupBy) {
        RevenueGrouping grouping = switch (groupBy) {
            case "day" -> RevenueGrouping.DAY;
            case "buyer" -> RevenueGrouping.BUYER;
            case "vertical" -> RevenueGrouping.VERTICAL;
            default -> throw new IllegalArgumentException("groupBy must be one of " + GROUPINGS);
        };
        return reads.revenue(from.atStartOfDay().atOffset(ZoneOffset.UTC), to.atStartOfDay().atOffset(ZoneOffset.UTC), grouping)
                .map(sums -> {
                    List<RevenueRow> list = sums.stream().map(LeadQueries::row).toList();
                    long sales = 0;
                    long returns = 0;
                    BigDecimal price = BigDecimal.ZERO.setScale(2);
                    BigDecimal payout = BigDecimal.ZERO.setScale(2);
                    BigDecimal margin = BigDecimal.ZERO.setScale(2);
                    for (RevenueRow row : list) {
                        sales += row.sales();
                        returns += row.returns();
                        price = price.add(row.price());
                        payout = payout.add(row.payout());
                        margin = margin.add(row.margin());
                    }
                    return new RevenueReport(from, to, groupBy, list, new RevenueRow("total", sales, returns, price, payout, margin));
                });
    }

    private static RevenueRow row(RevenueSum s) {
        return new RevenueRow(s.key(), s.sales(), s.returns(), s.price(), s.payout(), s.margin());
    }
}
