package com.nova.auction.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nova.auction.Auction;
import com.nova.auction.Auction.Bid;
import com.nova.auction.Auction.Outcome;
import com.nova.auction.Auction.Rule;
import com.nova.auction.Auction.Usage;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;

/**
 * The auction's rules, free of I/O so they can be tested exhaustively.
 * <ul>
 * <li>Considered: active buyers of the lead's vertical who serve its state (buyer-registry's list).</li>
 * <li>Not bidding, with a reason: a bid that is not positive, a ZIP outside the buyer's prefixes,
 * a daily or monthly cap reached, a daily budget the bid would exceed.</li>
 * <li>Ranking: highest bid; on equal bids the higher priority; then the buyer registered earlier.
 * The winner pays its own bid.</li>
 * <li>Exclusive or shared: the buyers with a shared bid are ranked the same way by it, and the best
 * N of them (the vertical's share count) are the sharers. The lead goes exclusive when the best
 * exclusive bid is at least the sum of the sharers' shared bids (a tie goes exclusive: one buyer,
 * one delivery, the consumer called once), shared when the sum is more; sharing needs two buyers at
 * least. Each sharer pays its own shared bid.</li>
 * </ul>
 */
public final class Auctioneer {

    public static final int SCALE = 2;
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    private static final Comparator<EligibleBuyer> RANKING = Comparator
            .comparing((EligibleBuyer b) -> money(b.bidAmount())).reversed()
            .thenComparing(Comparator.comparingInt(EligibleBuyer::priority).reversed())
            .thenComparingLong(EligibleBuyer::registrationSeq);

    private static final Comparator<EligibleBuyer> SHARED_RANKING = Comparator
            .comparing((EligibleBuyer b) -> sharedBid(b)).reversed()
            .thenComparing(Comparator.comparingInt(EligibleBuyer::priority).reversed())
            .thenComparingLong(EligibleBuyer::registrationSeq);

    private Auctioneer() {
    }

    /** An amount at the suite's money scale; null stays null. */
    public static BigDecimal money(BigDecimal amount) {
        return amount == null ? null : amount.setScale(SCALE, ROUNDING);
    }

    /** Buyers of the list who serve this lead's vertical and state (the list is normally already filtered). */
    public static List<EligibleBuyer> considered(List<EligibleBuyer> buyers, String vertical, String state) {
        return buyers.stream()
                .filter(b -> b.verticals() != null && b.verticals().contains(vertical))
                .filter(b -> b.states() != null && b.states().contains(state))
                .toList();
    }

    /** Why this buyer cannot bid on this lead, or null when it can. */
    public static Outcome exclusion(EligibleBuyer buyer, String zip, Usage usage) {
        BigDecimal bid = money(buyer.bidAmount());
        if (bid == null || bid.signum() <= 0) {
            return Outcome.INVALID_BID;
        }
        List<String> prefixes = buyer.zipPrefixes();
        if (prefixes != null && !prefixes.isEmpty() && prefixes.stream().noneMatch(zip::startsWith)) {
            return Outcome.FILTERED_ZIP;
        }
        if (buyer.dailyCap() != null && usage.dayLeads() + 1 > buyer.dailyCap()) {
            return Outcome.OVER_DAILY_CAP;
        }
        if (buyer.monthlyCap() != null && usage.monthLeads() + 1 > buyer.monthlyCap()) {
            return Outcome.OVER_MONTHLY_CAP;
        }
        if (buyer.dailyBudget() != null && usage.daySpend().add(bid).compareTo(buyer.dailyBudget()) > 0) {
            return Outcome.OVER_DAILY_BUDGET;
        }
        return null;
    }

    /** The least a live bidder may bid on a ping: its floor, or a cent. */
    public static BigDecimal lowestLiveBid(EligibleBuyer buyer) {
        return buyer.bidFloor() != null ? money(buyer.bidFloor()) : new BigDecimal("0.01");
    }

    /**
     * The considered buyers of a post of a ping with each live bidder's bid from the ping: a live
     * bidder with a counting bid bids it, one without is recorded in {@code excluded} as
     * {@link Outcome#NO_LIVE_BID}. Buyers with static bids are as they are.
     */
    public static List<EligibleBuyer> withLiveBids(List<EligibleBuyer> considered, Map<UUID, BigDecimal> liveBids,
            Map<UUID, Outcome> excluded) {
        List<EligibleBuyer> list = new ArrayList<>();
        for (EligibleBuyer b : considered) {
            if (!b.liveBidding()) {
                list.add(b);
            } else if (liveBids.containsKey(b.id())) {
                list.add(b.bidding(liveBids.get(b.id())));
            } else {
                excluded.put(b.id(), Outcome.NO_LIVE_BID);
                list.add(b.bidding(null));
            }
        }
        return list;
    }

    /** The buyers who may bid, best first. */
    public static List<EligibleBuyer> rank(List<EligibleBuyer> bidders) {
        List<EligibleBuyer> ranked = new ArrayList<>(bidders);
        ranked.sort(RANKING);
        return ranked;
    }

    /**
     * The bidders of a post of a ping, in the order they are offered the lead: the ping's winner
     * first (when it is still among the bidders), then the others by rank; a bidder below the pinged
     * bid is left out and recorded in {@code excluded} as {@link Outcome#BELOW_PING_PRICE}.
     */
    public static List<EligibleBuyer> forPing(List<EligibleBuyer> ranked, BigDecimal pingedBid, UUID pingWinner,
            Map<UUID, Outcome> excluded) {
        List<EligibleBuyer> covering = new ArrayList<>();
        for (EligibleBuyer b : ranked) {
            if (money(b.bidAmount()).compareTo(money(pingedBid)) < 0) {
                excluded.put(b.id(), Outcome.BELOW_PING_PRICE);
            } else if (b.id().equals(pingWinner)) {
                covering.add(0, b);
            } else {
                covering.add(b);
            }
        }
        return covering;
    }

    /**
     * A buyer's bid for a shared lead, or null when it does not share: no shared bid, a live
     * bidder (whose answer to a ping is one bid, for the lead exclusive) or a post-accept buyer
     * (offered a lead it may reject, which a shared sale cannot wait for).
     */
    public static BigDecimal sharedBid(EligibleBuyer b) {
        BigDecimal shared = money(b.sharedBidAmount());
        return b.liveBidding() || b.postAccept() || shared == null || shared.signum() <= 0 ? null : shared;
    }

    /** The buyer bidding its shared bid (what caps, budget and the sale count for a sharer). */
    public static EligibleBuyer asSharer(EligibleBuyer b) {
        return b.bidding(sharedBid(b));
    }

    /** The buyers of {@code candidates} who share, best shared bid first (ties as for exclusive bids). */
    public static List<EligibleBuyer> rankShared(List<EligibleBuyer> candidates) {
        List<EligibleBuyer> ranked = new ArrayList<>(candidates.stream().filter(b -> sharedBid(b) != null).toList());
        ranked.sort(SHARED_RANKING);
        return ranked;
    }

    /**
     * The buyers who may share this lead, best shared bid first: caps and budget are judged at the
     * shared bid, so a buyer whose budget cannot cover its exclusive bid may still share.
     */
    public static List<EligibleBuyer> sharedCandidates(List<EligibleBuyer> considered, String zip, Map<UUID, Usage> usage) {
        List<EligibleBuyer> sharing = new ArrayList<>();
        for (EligibleBuyer b : considered) {
            if (sharedBid(b) != null && exclusion(asSharer(b), zip, usage.getOrDefault(b.id(), Usage.NONE)) == null) {
                sharing.add(b);
            }
        }
        return rankShared(sharing);
    }

    /** What the publisher is paid for a shared sale: each sale's payout, rounded as that sale is, summed. */
    public static BigDecimal sharedPayouts(List<EligibleBuyer> sharers, BigDecimal publisherShare) {
        BigDecimal total = BigDecimal.ZERO.setScale(SCALE);
        for (EligibleBuyer b : sharers) {
            total = total.add(payout(sharedBid(b), publisherShare));
        }
        return total;
    }

    /** What {@code sharers} pay together. */
    public static BigDecimal sharedTotal(List<EligibleBuyer> sharers) {
        BigDecimal total = BigDecimal.ZERO.setScale(SCALE);
        for (EligibleBuyer b : sharers) {
            total = total.add(sharedBid(b));
        }
        return total;
    }

    /**
     * How the lead sells: {@code bestExclusive} is the best exclusive bid (null: nobody bids
     * exclusive), {@code sharers} the best shared bidders, at most the vertical's share count. Null
     * when it does not sell at all.
     */
    public static Auction.SaleMode mode(BigDecimal bestExclusive, List<EligibleBuyer> sharers) {
        boolean canShare = sharers.size() >= 2;
        if (!canShare) {
            return bestExclusive == null ? null : Auction.SaleMode.EXCLUSIVE;
        }
        if (bestExclusive != null && money(bestExclusive).compareTo(sharedTotal(sharers)) >= 0) {
            return Auction.SaleMode.EXCLUSIVE;
        }
        return Auction.SaleMode.SHARED;
    }

    /**
     * Every considered buyer's outcome in a shared sale: the sharers won, those who could not bid
     * keep their reason, the rest lost to the sharers.
     */
    public static List<Bid> sharedOutcomes(List<EligibleBuyer> considered, Map<UUID, Outcome> excluded, List<EligibleBuyer> sharers) {
        java.util.Set<UUID> won = new java.util.HashSet<>();
        sharers.forEach(b -> won.add(b.id()));
        List<Bid> bids = new ArrayList<>();
        for (EligibleBuyer b : considered) {
            Outcome outcome = won.contains(b.id()) ? Outcome.WON_SHARED
                    : excluded.containsKey(b.id()) ? excluded.get(b.id()) : Outcome.LOST_TO_SHARED;
            bids.add(bid(b, outcome));
        }
        return bids;
    }

    private static Bid bid(EligibleBuyer b, Outcome outcome) {
        BigDecimal amount = money(b.bidAmount());
        return new Bid(b.id(), amount == null ? BigDecimal.ZERO.setScale(SCALE) : amount, sharedBid(b), outcome);
    }

    /** How {@code winner} beat {@code runnerUp} (the best other bidder still in the auction, or null). */
    public static Rule decidingRule(EligibleBuyer winner, EligibleBuyer runnerUp) {
        if (runnerUp == null) {
            return Rule.ONLY_BIDDER;
        }
        if (money(winner.bidAmount()).compareTo(money(runnerUp.bidAmount())) != 0) {
            return Rule.HIGHEST_BID;
        }
        return winner.priority() != runnerUp.priority() ? Rule.PRIORITY : Rule.REGISTRATION_ORDER;
    }

    /** Why a bidder who was not excluded lost to {@code winner}. */
    public static Outcome lossTo(EligibleBuyer loser, EligibleBuyer winner) {
        if (money(loser.bidAmount()).compareTo(money(winner.bidAmount())) != 0) {
            return Outcome.OUTBID;
        }
        return loser.priority() != winner.priority() ? Outcome.LOST_TIE_PRIORITY : Outcome.LOST_TIE_REGISTRATION;
    }

    /**
     * Every considered buyer's bid and outcome: {@code excluded} holds those who could not bid (or
     * whose reservation failed), {@code winner} the one who won, or null.
     */
    public static List<Bid> outcomes(List<EligibleBuyer> considered, Map<UUID, Outcome> excluded, EligibleBuyer winner) {
        Map<UUID, Bid> bids = new LinkedHashMap<>();
        for (EligibleBuyer b : considered) {
            Outcome outcome = excluded.get(b.id());
            if (outcome == null) {
                outcome = winner == null ? Outcome.OUTBID
                        : b.id().equals(winner.id()) ? Outcome.WON : lossTo(b, winner);
            }
            bids.put(b.id(), bid(b, outcome));
        }
        return List.copyOf(bids.values());
    }

    /** The publisher's payout from a price: price × share, to the cent, half-even; the platform keeps the rest exactly. */
    public static BigDecimal payout(BigDecimal price, BigDecimal publisherShare) {
        return price.multiply(publisherShare).setScale(SCALE, ROUNDING);
    }
}
