package com.nova.auction.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.nova.auction.repository.LeadStore;
import com.nova.kit.problem.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads: a lead, its auction, the revenue report. */
@ApplicationScoped
public class LeadQueries {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LeadView(UUID id, String publisherId, String vertical, String firstName, String lastName, String email,
            String phone, String zip, String state, String trustedFormCertUrl, String comments, LeadRecord.LeadStatus status,
            String reason, UUID buyerId, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price,
            OffsetDateTime createdAt, OffsetDateTime updatedAt, String delivery) {
    }

    public record BidView(UUID buyerId, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bid, String outcome) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuctionView(UUID leadId, OffsetDateTime decidedAt, UUID winnerId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price, String decidingRule, List<BidView> bids) {
    }

    public record RevenueRow(String key, long sales, long returns,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal payout,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal margin) {
    }

    public record RevenueReport(LocalDate from, LocalDate to, String groupBy, List<RevenueRow> rows, RevenueRow totals) {
    }

    private final Pool pool;
    private final LeadStore store;

    public LeadQueries(Pool pool, LeadStore store) {
        this.pool = pool;
        this.store = store;
    }

    public Uni<LeadRecord> lead(UUID id) {
        return store.find(pool, id).onItem().ifNull().failWith(() -> ProblemException.notFound("Lead"));
    }

    public Uni<LeadView> view(LeadRecord l) {
        return pool.preparedQuery("select status from delivery where lead_id = $1").execute(Tuple.of(l.id()))
                .map(rows -> new LeadView(l.id(), l.publisherId(), l.vertical(), l.firstName(), l.lastName(), l.email(),
                        l.phone(), l.zip(), l.state(), l.trustedFormCertUrl(), l.comments(), l.status(), l.statusReason(),
                        l.buyerId(), l.price(), l.createdAt(), l.updatedAt(),
                        rows.size() == 0 ? null : rows.iterator().next().getString(0)));
    }

    /** The auction of a lead with every considered buyer's bid and outcome; {@code onlyBuyer} narrows it to one buyer's own. */
    public Uni<AuctionView> auction(UUID leadId, UUID onlyBuyer) {
        return pool.preparedQuery("select decided_at, winner_id, price, deciding_rule from auction where lead_id = $1")
                .execute(Tuple.of(leadId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ProblemException.notFound("Auction"));
                    }
                    Row a = rows.iterator().next();
                    return pool.preparedQuery("select buyer_id, bid, outcome from auction_bid where lead_id = $1 and ($2::uuid is null or buyer_id = $2) order by bid desc, buyer_id")
                            .execute(Tuple.of(leadId, onlyBuyer))
                            .map(bids -> {
                                List<BidView> list = new ArrayList<>();
                                bids.forEach(b -> list.add(new BidView(b.getUUID(0), b.getBigDecimal(1), b.getString(2))));
                                if (onlyBuyer != null && list.isEmpty()) {
                                    throw ProblemException.notFound("Auction");
                                }
                                boolean hideWinner = onlyBuyer != null;
                                return new AuctionView(leadId, a.getOffsetDateTime(0),
                                        hideWinner ? null : a.getUUID(1), hideWinner ? null : a.getBigDecimal(2),
                                        a.getString(3), list);
                            });
                });
    }

    /** Exact sums of revenue booked in [from, to) (UTC days), grouped by day, buyer or vertical. */
    public Uni<RevenueReport> revenue(LocalDate from, LocalDate to, String groupBy) {
        String key = switch (groupBy) {
            case "day" -> "to_char(booked_at at time zone 'UTC', 'YYYY-MM-DD')";
            case "buyer" -> "buyer_id::text";
            case "vertical" -> "vertical";
            default -> throw ProblemException.invalidField("groupBy", "must be day, buyer or vertical");
        };
        // key is one of three fixed expressions above, never caller text; the values are bound.
        String sql = "select " + key + " as k, count(*) filter (where kind = 'SALE'), count(*) filter (where kind = 'RETURN'), "
                + "coalesce(sum(price), 0), coalesce(sum(payout), 0), coalesce(sum(margin), 0) "
                + "from revenue_entry where booked_at >= $1 and booked_at < $2 group by 1 order by 1";
        return pool.preparedQuery(sql)
                .execute(Tuple.of(from.atStartOfDay().atOffset(ZoneOffset.UTC), to.atStartOfDay().atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<RevenueRow> list = new ArrayList<>();
                    long sales = 0;
                    long returns = 0;
                    BigDecimal price = BigDecimal.ZERO.setScale(2);
                    BigDecimal payout = BigDecimal.ZERO.setScale(2);
                    BigDecimal margin = BigDecimal.ZERO.setScale(2);
                    for (Row r : rows) {
                        RevenueRow row = new RevenueRow(r.getString(0), r.getLong(1), r.getLong(2),
                                r.getBigDecimal(3).setScale(2), r.getBigDecimal(4).setScale(2), r.getBigDecimal(5).setScale(2));
                        list.add(row);
                        sales += row.sales();
                        returns += row.returns();
                        price = price.add(row.price());
                        payout = payout.add(row.payout());
                        margin = margin.add(row.margin());
                    }
                    return new RevenueReport(from, to, groupBy, list, new RevenueRow("total", sales, returns, price, payout, margin));
                });
    }
}
