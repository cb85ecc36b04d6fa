package com.nova.gateway.service;

/** Stream names and event types of the normalized purchase and outcome events. */
public final class PurchaseEvents {

    public static final String WALLET_STREAM = "wallet.events";
    public static final String AUCTION_STREAM = "auction.events";
    public static final String COMPLETED = "purchase.completed";
    public static final String REFUNDED = "purchase.refunded";

    private PurchaseEvents() {
    }
}
