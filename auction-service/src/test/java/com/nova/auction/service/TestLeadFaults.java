package com.nova.auction.service;

import jakarta.inject.Singleton;

/** Fails a lead's transaction after the step a test names. */
@Singleton
public class TestLeadFaults extends LeadFaults {

    public volatile Step failAfter;

    @Override
    public void after(Step step) {
        if (step == failAfter) {
            throw new IllegalStateException("injected failure after " + step);
        }
    }
}
