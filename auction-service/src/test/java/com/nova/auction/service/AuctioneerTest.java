package com.nova.auction.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.auction.Auction;
import com.nova.auction.Auction.Outcome;
import com.nova.auction.Auction.Rule;
import com.nova.auction.Auction.Usage;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;

/** The auction's rules, without I/O. */
class AuctioneerTest {

    static EligibleBuyer buyer(int seq, String bid, int priority) {
        return buyer(seq, bid, priority, null, null, null, List.of());
    }

    static EligibleBuyer buyer(int seq, String bid, int priority, Integer dailyCap, Integer monthlyCap, String budget,
            List<String> zips) {
        return new EligibleBuyer(new UUID(0, seq), seq, "b" + seq, List.of("solar"), List.of("CA"), zips,
                bid == null ? null : new BigDecimal(bid), null, priority, dailyCap, monthlyCap,
                budget == null ? null : new BigDecimal(budget), false, null, true, null, 0);
    }

    @Test
    void highestBidWinsThenPriorityThenEarlierRegistration() {
        EligibleBuyer low = buyer(1, "10.00", 9);
        EligibleBuyer high = buyer(2, "10.01", 0);
        assertEquals(high, Auctioneer.rank(List.of(low, high)).get(0));
        assertEquals(Rule.HIGHEST_BID, Auctioneer.decidingRule(high, low));

        EligibleBuyer tieLowPriority = buyer(3, "15.00", 1);
        EligibleBuyer tieHighPriority = buyer(4, "15.0", 2);
        assertEquals(tieHighPriority, Auctioneer.rank(List.of(tieLowPriority, tieHighPriority)).get(0));
        assertEquals(Rule.PRIORITY, Auctioneer.decidingRule(tieHighPriority, tieLowPriority));
        assertEquals(Outcome.LOST_TIE_PRIORITY, Auctioneer.lossTo(tieLowPriority, tieHighPriority));

        EligibleBuyer early = buyer(5, "15.00", 2);
        EligibleBuyer late = buyer(6, "15.00", 2);
        assertEquals(early, Auctioneer.rank(List.of(late, early)).get(0));
        assertEquals(Rule.REGISTRATION_ORDER, Auctioneer.decidingRule(early, late));
        assertEquals(Outcome.LOST_TIE_REGISTRATION, Auctioneer.lossTo(late, early));
        assertEquals(Rule.ONLY_BIDDER, Auctioneer.decidingRule(early, null));
    }

    @Test
    void aPostOfAPingOffersThePingsWinnerFirstThenTheBidsCoveringThePingedBidExactly() {
        EligibleBuyer richer = buyer(1, "41.00", 0);
        EligibleBuyer winner = buyer(2, "40.00", 0);
        EligibleBuyer equal = buyer(3, "40.0", 5);
        EligibleBuyer cent = buyer(4, "39.99", 9);
        Map<UUID, Outcome> excluded = new java.util.HashMap<>();
        List<EligibleBuyer> offered = Auctioneer.forPing(Auctioneer.rank(List.of(cent, equal, winner, richer)), new BigDecimal("40.00"),
                winner.id(), excluded);
        // The ping's winner first; then by rank those at or above 40.00 (40.0 equals 40.00); 39.99 is a cent short.
        assertEquals(List.of(winner, richer, equal), offered);
        assertEquals(Map.of(cent.id(), Outcome.BELOW_PING_PRICE), excluded);
        // The winner gone (no longer eligible): the others in rank order.
        excluded.clear();
        assertEquals(List.of(richer, equal), Auctioneer.forPing(Auctioneer.rank(List.of(cent, equal, richer)), new BigDecimal("40.00"),
                winner.id(), excluded));
    }

    @Test
    void zeroNegativeOrMissingBidsNeverBid() {
        // 0.005 rounds half-even to 0.00: it never bids either (buyer-registry stores cents anyway).
        for (String bid : new String[] { "0", "0.00", "-1.00", "0.004", "0.005", null }) {
            assertEquals(Outcome.INVALID_BID, Auctioneer.exclusion(buyer(1, bid, 0), "94105", Usage.NONE), "bid " + bid);
        }
        assertNull(Auctioneer.exclusion(buyer(1, "0.015", 0), "94105", Usage.NONE), "0.015 rounds half-even to 0.02");
    }

    @Test
    void capsBudgetsAndZipsExcludeWithTheirReason() {
        assertEquals(Outcome.FILTERED_ZIP, Auctioneer.exclusion(buyer(1, "5.00", 0, null, null, null, List.of("90", "91")), "94105", Usage.NONE));
        assertNull(Auctioneer.exclusion(buyer(1, "5.00", 0, null, null, null, List.of("941")), "94105", Usage.NONE));
        assertEquals(Outcome.OVER_DAILY_CAP, Auctioneer.exclusion(buyer(1, "5.00", 0, 3, null, null, List.of()), "94105",
                new Usage(3, new BigDecimal("15.00"), 3)));
        assertEquals(Outcome.OVER_MONTHLY_CAP, Auctioneer.exclusion(buyer(1, "5.00", 0, 10, 3, null, List.of()), "94105",
                new Usage(1, new BigDecimal("5.00"), 3)));
        assertEquals(Outcome.OVER_DAILY_BUDGET, Auctioneer.exclusion(buyer(1, "5.00", 0, null, null, "14.99", List.of()), "94105",
                new Usage(2, new BigDecimal("10.00"), 2)));
        assertNull(Auctioneer.exclusion(buyer(1, "5.00", 0, null, null, "15.00", List.of()), "94105",
                new Usage(2, new BigDecimal("10.00"), 2)), "spending exactly the budget is allowed");
    }

    @Test
    void everyConsideredBuyerGetsAnOutcome() {
        EligibleBuyer a = buyer(1, "20.00", 0);
        EligibleBuyer b = buyer(2, "20.00", 0);
        EligibleBuyer c = buyer(3, "9.99", 5);
        EligibleBuyer d = buyer(4, "50.00", 0);
        var bids = Auctioneer.outcomes(List.of(a, b, c, d), Map.of(d.id(), Outcome.OVER_DAILY_CAP), a);
        assertEquals(List.of(Outcome.WON, Outcome.LOST_TIE_REGISTRATION, Outcome.OUTBID, Outcome.OVER_DAILY_CAP),
                bids.stream().map(Auction.Bid::outcome).toList());
        assertEquals(new BigDecimal("20.00"), bids.get(0).amount());
    }

    @Test
    void thePriceSplitsExactlyIntoPayoutAndMarginForEveryCentAmount() {
        BigDecimal share = new BigDecimal("0.70");
        for (long cents = 1; cents <= 200_000; cents += 7) {
            BigDecimal price = BigDecimal.valueOf(cents, 2);
            BigDecimal payout = Auctioneer.payout(price, share);
            BigDecimal margin = price.subtract(payout);
            assertEquals(2, payout.scale());
            assertEquals(0, price.compareTo(payout.add(margin)));
            assertEquals(true, payout.signum() >= 0 && margin.signum() >= 0);
        }
        // Half-even at the half cent: 0.35 * 0.5 = 0.175 -> 0.18; 0.25 * 0.5 = 0.125 -> 0.12.
        assertEquals(new BigDecimal("0.18"), Auctioneer.payout(new BigDecimal("0.35"), new BigDecimal("0.5")));
        assertEquals(new BigDecimal("0.12"), Auctioneer.payout(new BigDecimal("0.25"), new BigDecimal("0.5")));
    }

    @Test
    void aPostOfAPingBidsEachLiveBiddersPingedBidAndLeavesOutLiveBiddersWithout() {
        EligibleBuyer fixed = buyer(1, "20.00", 0);
        EligibleBuyer live = liveBuyer(2, "1.00");
        EligibleBuyer silent = liveBuyer(3, "99.00");
        Map<java.util.UUID, Outcome> excluded = new java.util.HashMap<>();
        List<EligibleBuyer> bidding = Auctioneer.withLiveBids(List.of(fixed, live, silent), Map.of(live.id(), new BigDecimal("33.33")),
                excluded);
        assertEquals(List.of(new BigDecimal("20.00"), new BigDecimal("33.33")),
                bidding.subList(0, 2).stream().map(EligibleBuyer::bidAmount).toList());
        assertEquals(Map.of(silent.id(), Outcome.NO_LIVE_BID), excluded);
        assertEquals(null, bidding.get(2).bidAmount(), "its static bid does not count on a post of a ping");
        // Ranked with the static bids: the live 33.33 first.
        assertEquals(live.id(), Auctioneer.rank(bidding.subList(0, 2)).get(0).id());
        assertEquals(new BigDecimal("0.01"), Auctioneer.lowestLiveBid(live));
    }

    static EligibleBuyer liveBuyer(int seq, String staticBid) {
        return new EligibleBuyer(new UUID(0, seq), seq, "b" + seq, List.of("solar"), List.of("CA"), List.of(),
                new BigDecimal(staticBid), null, 0, null, null, null, true, null, true, null, 0);
    }

    static EligibleBuyer sharer(int seq, String bid, String shared, int priority) {
        return new EligibleBuyer(new UUID(0, seq), seq, "b" + seq, List.of("solar"), List.of("CA"), List.of(),
                new BigDecimal(bid), shared == null ? null : new BigDecimal(shared), priority, null, null, null, false, null, true, null, 0);
    }

    @Test
    void theLeadGoesExclusiveWhenTheBestExclusiveBidCoversTheSharedSumAndATieGoesExclusive() {
        EligibleBuyer a = sharer(1, "30.00", "10.00", 0);
        EligibleBuyer b = sharer(2, "20.00", "10.00", 0);
        EligibleBuyer c = sharer(3, "15.00", "10.00", 0);
        List<EligibleBuyer> sharers = Auctioneer.rankShared(List.of(a, b, c));
        assertEquals(new BigDecimal("30.00"), Auctioneer.sharedTotal(sharers));
        // 30.00 exclusive against 10.00 + 10.00 + 10.00: a tie, exclusive.
        assertEquals(Auction.SaleMode.EXCLUSIVE, Auctioneer.mode(new BigDecimal("30.00"), sharers));
        // One cent more shared: shared.
        EligibleBuyer c2 = sharer(3, "15.00", "10.01", 0);
        assertEquals(Auction.SaleMode.SHARED, Auctioneer.mode(new BigDecimal("30.00"), Auctioneer.rankShared(List.of(a, b, c2))));
        assertEquals(new BigDecimal("30.01"), Auctioneer.sharedTotal(Auctioneer.rankShared(List.of(a, b, c2))));
        // Nobody exclusive, two sharers: shared; one sharer alone does not share.
        assertEquals(Auction.SaleMode.SHARED, Auctioneer.mode(null, List.of(a, b)));
        assertEquals(null, Auctioneer.mode(null, List.of(a)));
        assertEquals(Auction.SaleMode.EXCLUSIVE, Auctioneer.mode(new BigDecimal("0.01"), List.of(a)));
    }

    @Test
    void sharersAreRankedByTheirSharedBidThenPriorityThenRegistration() {
        EligibleBuyer low = sharer(1, "90.00", "5.00", 9);
        EligibleBuyer tieEarly = sharer(2, "1.00", "7.25", 0);
        EligibleBuyer tieLate = sharer(3, "1.00", "7.25", 0);
        EligibleBuyer tiePriority = sharer(4, "1.00", "7.25", 1);
        EligibleBuyer exclusiveOnly = sharer(5, "99.00", null, 0);
        assertEquals(List.of(tiePriority.id(), tieEarly.id(), tieLate.id(), low.id()),
                Auctioneer.rankShared(List.of(low, tieLate, exclusiveOnly, tieEarly, tiePriority)).stream().map(EligibleBuyer::id).toList());
        // A live bidder's one answer is for the lead exclusive: it does not share.
        EligibleBuyer live = new EligibleBuyer(new UUID(0, 6), 6, "b6", List.of("solar"), List.of("CA"), List.of(),
                new BigDecimal("1.00"), new BigDecimal("50.00"), 0, null, null, null, true, null, true, null, 0);
        assertEquals(null, Auctioneer.sharedBid(live));
        // Nor does a post-accept buyer: a shared sale cannot wait for an offer it may reject.
        EligibleBuyer offered = new EligibleBuyer(new UUID(0, 7), 7, "b7", List.of("solar"), List.of("CA"), List.of(),
                new BigDecimal("1.00"), new BigDecimal("50.00"), 0, null, null, null, false, null, true, "post-accept", 0);
        assertEquals(null, Auctioneer.sharedBid(offered));
    }

    @Test
    void sharedPayoutsAreEachSalesPayoutSummedAndSplitExactly() {
        // 3 x 0.35 at 0.5: each 0.175 -> 0.18 (half-even), summed 0.54; on the total 1.05 x 0.5 = 0.525 -> 0.52.
        List<EligibleBuyer> sharers = List.of(sharer(1, "1.00", "0.35", 0), sharer(2, "1.00", "0.35", 0), sharer(3, "1.00", "0.35", 0));
        assertEquals(new BigDecimal("0.54"), Auctioneer.sharedPayouts(sharers, new BigDecimal("0.5")));
        assertEquals(new BigDecimal("1.05"), Auctioneer.sharedTotal(sharers));
    }

    @Test
    void aSharedSalesOutcomesNameTheSharersAndKeepEveryOtherReason() {
        EligibleBuyer a = sharer(1, "30.00", "12.00", 0);
        EligibleBuyer b = sharer(2, "20.00", "11.00", 0);
        EligibleBuyer c = sharer(3, "25.00", null, 0);
        EligibleBuyer d = sharer(4, "40.00", null, 0);
        var bids = Auctioneer.sharedOutcomes(List.of(a, b, c, d), Map.of(d.id(), Outcome.OVER_DAILY_BUDGET), List.of(a, b));
        assertEquals(List.of(Outcome.WON_SHARED, Outcome.WON_SHARED, Outcome.LOST_TO_SHARED, Outcome.OVER_DAILY_BUDGET),
                bids.stream().map(Auction.Bid::outcome).toList());
        assertEquals(new BigDecimal("12.00"), bids.get(0).sharedAmount());
        assertEquals(null, bids.get(2).sharedAmount());
    }
}
