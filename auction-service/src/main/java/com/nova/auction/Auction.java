package com.nova.auction;

import java.math.BigDecimal;
import java.util.UUID;

/** An auction's vocabulary, shared by its rules ({@code service.Auctioneer}) and its rows ({@code repository}). */
public final class Auction {

    public enum Outcome {
        WON, OUTBID, LOST_TIE_PRIORITY, LOST_TIE_REGISTRATION, FILTERED_ZIP, OVER_DAILY_CAP, OVER_MONTHLY_CAP,
        OVER_DAILY_BUDGET, INVALID_BID
    }

    public enum Rule {
        HIGHEST_BID, PRIORITY, REGISTRATION_ORDER, ONLY_BIDDER, NO_ELIGIBLE_BUYER
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
