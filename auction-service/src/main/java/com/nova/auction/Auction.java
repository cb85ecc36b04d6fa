package com.nova.auction;

import java.math.BigDecimal;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An auction's vocabulary, shared by its rules ({@code service.Auctioneer}) and its rows ({@code repository}). */
public final class Auction {

    public enum Outcome {
        WON, OUTBID, LOST_TIE_PRIORITY, LOST_TIE_REGISTRATION, FILTERED_ZIP, OVER_DAILY_CAP, OVER_MONTHLY_CAP,
        OVER_DAILY_BUDGET, INVALID_BID,
        /** A post of a ping: this bid is below the pinged bid, so it could not take the lead. */
        BELOW_PING_PRICE,
        /** A post of a ping: the ping's winner could still take the lead, and did. */
        LOST_TO_PING_WINNER,
        /** A post of a ping: a live bidder whose answer to the ping did not count (or who was not asked). */
        NO_LIVE_BID,
        /** One of the buyers a shared lead was sold to, at its shared bid. */
        WON_SHARED,
        /** The lead was shared among others: their shared bids came to more than this buyer's bid. */
        LOST_TO_SHARED,
        /** A post-accept buyer offered the lead rejected it (or did not answer in time). */
        REJECTED_OFFER,
        /** A post-accept buyer the waterfall did not reach: the lead's offers were used up first. */
        NOT_OFFERED
    }

    /** One step of a waterfall: the buyer offered the lead at its price, whether it accepted, why not, how long it took. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Offer(UUID buyerId, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price, boolean accepted,
            String reason, Integer status, int latencyMs) {
    }

    /** How a lead sells: to one buyer, or to a few who share it. */
    public enum SaleMode {
        EXCLUSIVE, SHARED
    }

    public enum Rule {
        HIGHEST_BID, PRIORITY, REGISTRATION_ORDER, ONLY_BIDDER, NO_ELIGIBLE_BUYER,
        /** A post of a ping, sold to the buyer that won the ping. */
        PING_WINNER,
        /** Shared: the best shared bids came to more than the best exclusive bid. */
        SHARED,
        /** A post-accept buyer accepted the lead offered to it (better bidders may have rejected it first). */
        ACCEPTED_OFFER
    }

    /** A buyer's consumption today and this month (UTC), as counted before this auction. */
    public record Usage(int dayLeads, BigDecimal daySpend, int monthLeads) {
        public static final Usage NONE = new Usage(0, BigDecimal.ZERO, 0);
    }

    /** One considered buyer's bid (and shared bid, when it shares) and what became of it. */
    public record Bid(UUID buyerId, BigDecimal amount, BigDecimal sharedAmount, Outcome outcome) {
    }

    /** What became of one buyer's live bid. */
    public enum LiveBidReason {
        /** A bid that counts. */
        BID,
        /** The buyer answered {@code {"bid": null}}. */
        NO_BID,
        /** No complete answer within the deadline. */
        LATE,
        /** An answer that is not a bid (not JSON, no {@code bid}, not a decimal of at most two places, not positive). */
        MALFORMED,
        /** A bid below the buyer's own floor. */
        BELOW_FLOOR,
        /** An error status, a refused address or no answer at all. */
        ERROR,
        /** Not asked: the buyer's endpoint failed too often lately. */
        BREAKER_OPEN,
        /** Not asked: buyer-registry has no endpoint for the buyer (any more), or could not say. */
        NO_ENDPOINT;

        /** Whether this answer says the endpoint is failing (a bid, no bid and a bid below the floor are all answers). */
        public boolean failing() {
            return this == LATE || this == MALFORMED || this == ERROR;
        }
    }

    /** One buyer's answer to a ping; {@code bid} only for {@link LiveBidReason#BID} and {@link LiveBidReason#BELOW_FLOOR}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LiveBid(UUID buyerId, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bid, Integer latencyMs,
            LiveBidReason reason) {

        public boolean counts() {
            return reason == LiveBidReason.BID;
        }
    }

    private Auction() {
    }
}
