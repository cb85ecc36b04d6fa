package com.nova.kit.events;

import java.util.Set;

/**
 * The streams between services and the event types on them, spelled once for producer and
 * consumer: a renamed stream or type is a compile error on both sides instead of events that
 * nobody reads.
 */
public final class EventContract {

    private EventContract() {
    }

    /** Stream names. Each has a dead-letter stream {@code <name>.dlq}. */
    public static final class Streams {

        /** Normalised purchases from the webhook gateway, consumed by wallet-service. */
        public static final String WALLET = "wallet.events";

        /** Buyer outcomes from the webhook gateway, consumed by auction-service. */
        public static final String AUCTION = "auction.events";

        /** Buyer changes from buyer-registry: caches elsewhere drop what they hold. */
        public static final String BUYERS = "buyers.events";

        /** auction-service's own work queue: one entry per sold lead to deliver. */
        public static final String AUCTION_DELIVERIES = "auction.deliveries";

        private Streams() {
        }
    }

    /** Event types, the {@code type} of an {@link EventEnvelope}. */
    public static final class Types {

        public static final String PURCHASE_COMPLETED = "purchase.completed";
        public static final String PURCHASE_REFUNDED = "purchase.refunded";

        public static final String LEAD_SOLD = "lead.sold";
        public static final String LEAD_ACCEPTED = "lead.accepted";
        public static final String LEAD_REJECTED = "lead.rejected";
        public static final String LEAD_RETURNED = "lead.returned";
        public static final String LEAD_CONVERTED = "lead.converted";
        /** The outcomes a buyer may post back. */
        public static final Set<String> LEAD_OUTCOMES = Set.of(LEAD_ACCEPTED, LEAD_REJECTED, LEAD_RETURNED, LEAD_CONVERTED);

        public static final String BUYER_CREATED = "buyer.created";
        public static final String BUYER_CHANGED = "buyer.changed";
        public static final String BUYER_DEACTIVATED = "buyer.deactivated";
        public static final String BUYER_SECRET_ROTATED = "buyer.webhook-secret-rotated";
        public static final String BUYER_CREDENTIALS_ROTATED = "buyer.credentials-rotated";

        private Types() {
        }
    }
}
