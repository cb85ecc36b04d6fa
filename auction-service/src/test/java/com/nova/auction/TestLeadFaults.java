package com.nova.auction;

import jakarta.inject.Singleton;

import com.nova.auction.service.LeadFaults;

/** Fails a lead's transaction after the step a test names. */
@Singleton
public class TestLeadFaults extends LeadFaults {

    volatile Step failAfter;

    @Override
    public void after(Step step) {
        if (step == failAfter) {
            throw new IllegalStateException("injected failure after " + step);
        }
    }
}
