package com.nova.auction.repository;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of reads: a lead's delivery status, its auction and bids, the revenue sums. */
@ApplicationScoped
public class LeadReadRepository {

    /** An auction as stored. */
    public record AuctionRow(OffsetDateTime decidedAt, UUID winnerId, BigDecimal price, String decidingRule,
            List<com.nova.auction.Auction.Offer> offers) {
    }

    /** One considered buyer's bid (and shared bid, null when it does not share) as stored. */
    public record BidRow(UUID buyerId, BigDecimal bid, BigDecimal sharedBid, String outcome) {
    }

    /** One sale of a lead: to whom, at what price, whether it was returned, and how its delivery stands. */
    public record SaleRow(UUID buyerId, BigDecimal price, boolean returned, String delivery) {
    }

    /** One group's revenue sums, at the column's scale. */
    public record RevenueSum(String key, long sales, long returns, BigDecimal price, BigDecimal payout, BigDecimal margin) {
    }

    /** How revenue is grouped; each has one fixed SQL expression. */
    public enum RevenueGrouping {
        DAY("to_char(booked_at at time zone 'UTC', 'YYYY-MM-DD')"),
        BUYER("buyer_id::text"),
        VERTICAL("vertical");

        final String expression;

        RevenueGrouping(String expression) {
            this.expression = expression;
        }
    }

    private final Pool pool;

    public LeadReadRepository(Pool pool) {
        this.pool = pool;
    }

    /** The lead's delivery status, or null when it has no delivery. */
    public Uni<String> deliveryStatus(UUID leadId) {
        return pool.preparedQuery("select status from delivery where lead_id = $1").execute(Tuple.of(leadId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** The lead's auction, or null when it has none. */
    public Uni<AuctionRow> auction(UUID leadId) {
        return pool.preparedQuery("select decided_at, winner_id, price, deciding_rule, offers from auction where lead_id = $1")
                .execute(Tuple.of(leadId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row a = rows.iterator().next();
                    List<com.nova.auction.Auction.Offer> offers = new ArrayList<>();
                    io.vertx.core.json.JsonArray stored = a.getJsonArray(4);
                    for (int i = 0; stored != null && i < stored.size(); i++) {
                        io.vertx.core.json.JsonObject o = stored.getJsonObject(i);
                        offers.add(new com.nova.auction.Auction.Offer(UUID.fromString(o.getString("buyerId")), new BigDecimal(o.getString("price")),
                                o.getBoolean("accepted"), o.getString("reason"), o.getInteger("status"), o.getInteger("latencyMs")));
                    }
                    return new AuctionRow(a.getOffsetDateTime(0), a.getUUID(1), a.getBigDecimal(2), a.getString(3), offers);
                });
    }

    /**
     * The auction's bids, highest first; {@code onlyBuyer} (when not null) narrows them to one
     * buyer's own. They are the auction row's array; an auction whose array is empty was written by
     * the release before (during a rollout) into auction_bid, which is read instead.
     */
    public Uni<List<BidRow>> bids(UUID leadId, UUID onlyBuyer) {
        return pool.preparedQuery("""
                select coalesce(nullif(a.bids, '[]'::jsonb),
                                (select coalesce(jsonb_agg(jsonb_build_object('buyerId', b.buyer_id, 'bid', b.bid::text,
                                                 'sharedBid', b.shared_bid::text, 'outcome', b.outcome)), '[]'::jsonb)
                                 from auction_bid b where b.lead_id = a.lead_id)) as bids
                from auction a where a.lead_id = $1""")
                .execute(Tuple.of(leadId))
                .map(rows -> {
                    List<BidRow> list = new ArrayList<>();
                    if (rows.size() == 0) {
                        return list;
                    }
                    io.vertx.core.json.JsonArray bids = rows.iterator().next().getJsonArray(0);
                    for (int i = 0; i < bids.size(); i++) {
                        io.vertx.core.json.JsonObject b = bids.getJsonObject(i);
                        UUID buyer = UUID.fromString(b.getString("buyerId"));
                        if (onlyBuyer == null || onlyBuyer.equals(buyer)) {
                            String shared = b.getString("sharedBid");
                            list.add(new BidRow(buyer, new BigDecimal(b.getString("bid")), shared == null ? null : new BigDecimal(shared),
                                    b.getString("outcome")));
                        }
                    }
                    list.sort(java.util.Comparator.comparing(BidRow::bid).reversed().thenComparing(r -> r.buyerId().toString()));
                    return list;
                });
    }

    /** The lead's sales, highest price first. */
    public Uni<List<SaleRow>> sales(UUID leadId) {
        return pool.preparedQuery("""
                select s.buyer_id, s.price,
                       exists (select 1 from revenue_entry r where r.lead_id = s.lead_id and r.buyer_id = s.buyer_id and r.kind = 'RETURN'),
                       d.status
                from revenue_entry s left join delivery d on d.lead_id = s.lead_id and d.buyer_id = s.buyer_id
                where s.lead_id = $1 and s.kind = 'SALE' order by s.price desc, s.buyer_id""")
                .execute(Tuple.of(leadId))
                .map(rows -> {
                    List<SaleRow> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new SaleRow(r.getUUID(0), r.getBigDecimal(1), r.getBoolean(2), r.getString(3))));
                    return list;
                });
    }

    /** Exact sums of revenue booked in [from, to), one row per group, in the group's order. */
    public Uni<List<RevenueSum>> revenue(OffsetDateTime from, OffsetDateTime to, RevenueGrouping grouping) {
        // The key is one of the fixed expressions of RevenueGrouping, never caller text; the values are bound.
        String sql = "select " + grouping.expression + " as k, count(*) filter (where kind = 'SALE'), count(*) filter (where kind = 'RETURN'), "
                + "coalesce(sum(price), 0), coalesce(sum(payout), 0), coalesce(sum(margin), 0) "
                + "from revenue_entry where booked_at >= $1 and booked_at < $2 group by 1 order by 1";
        return pool.preparedQuery(sql)
                .execute(Tuple.of(from, to))
                .map(rows -> {
                    List<RevenueSum> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new RevenueSum(r.getString(0), r.getLong(1), r.getLong(2),
                                r.getBigDecimal(3).setScale(2), r.getBigDecimal(4).setScale(2), r.getBigDecimal(5).setScale(2)));
                    }
                    return list;
                });
    }
}
