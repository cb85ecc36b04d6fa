package com.nova.auction;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import com.nova.auction.service.ComplianceCheck;
import com.nova.auction.service.EligibleBuyers;

/** What every auction-service test starts from: stubs answering normally, no buyers, the clock at now. */
abstract class AuctionTestBase {

    @Inject
    TestClock clock;

    @Inject
    EligibleBuyers eligible;

    @Inject
    ComplianceCheck compliance;

    @BeforeEach
    void resetWorld() {
        ThirdParties.reset();
        clock.reset();
        eligible.invalidate();
        compliance.clearZipCache();
        // Caps and budgets of earlier tests must not leak into this one.
        Leads.exec("delete from buyer_usage");
    }
}
