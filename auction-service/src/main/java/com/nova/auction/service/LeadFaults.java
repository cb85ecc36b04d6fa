package com.nova.auction.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/**
 * A seam where tests inject a failure between the steps of a lead's transaction, to prove that
 * everything the transaction wrote rolls back together. Does nothing in the application.
 */
@ApplicationScoped
@DefaultBean
public class LeadFaults {

    public enum Step {
        CLAIMED, RESERVED, LEAD_WRITTEN, AUCTION_WRITTEN, REVENUE_WRITTEN, DELIVERY_WRITTEN, OUTBOX_WRITTEN, AUDITED
    }

    public void after(Step step) {
    }
}
