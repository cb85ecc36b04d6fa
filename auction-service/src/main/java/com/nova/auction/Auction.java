package com.nova.auction;

import java.math.BigDecimal;
import java.util.UUID;

/** An auction's vocabulary, shared by its rules ({@code service.Auctioneer}) and its rows ({@code repository}). */
public final class Auction {

    public enum Outcome {
        WON, OUTBID, LOST_TIE_PRIORITY, LOST_TIE_REGISTRATION, FILTERED_ZIP, OVER_DAILY_CAP, OVER_MONTHLY_CAP,
        OVER_DAILY_BUDGET, INVALID_BID,
        /** A post of a ping: this bid is below the pinged bid, so it could not take the lead. */
        BELOW_PING_PRICE,
        /** A post of a ping: the ping's winner could still take the lead, and did. */
        LOST_TO_PING_WINNER
    }

    public enum Rule {
        HIGHEST_BID, PRIORITY, REGISTRATION_ORDER, ONLY_BIDDER, NO_ELIGIBLE_BUYER,
        /** A post of a ping, sold to the buyer that won the ping. */
        PING_WINNER
    }

    /** A buyer's consumption today and this month (UTC), as counted before this auction. */
    public record Usage(int dayLeads, BigDecimal daySpend, int monthLeads) {
        public static final Usage NONE = new Usage(0, BigDecimal.ZERO, 0);
    }

    /** One considered buyer's bid and what became of it. */
    public record Bid(UUID buyerId, BigDecimal amount, Outcome outcome) {
    }

    private Auction() {
    }
}
