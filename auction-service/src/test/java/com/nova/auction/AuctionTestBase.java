package com.nova.auction;

import static com.nova.auction.AuctionFixtures.exec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import com.nova.auction.service.ComplianceCheck;
import com.nova.auction.service.EligibleBuyers;

/** What every auction-service test starts from: stubs answering normally, no buyers, the clock at now. */
public abstract class AuctionTestBase {

    @Inject
    protected TestClock clock;

    @Inject
    protected EligibleBuyers eligible;

    @Inject
    protected ComplianceCheck compliance;

    @BeforeEach
    protected void resetWorld() {
        ThirdParties.reset();
        clock.reset();
        eligible.invalidate();
        compliance.clearZipCache();
        // Caps and budgets of earlier tests must not leak into this one.
        exec("delete from buyer_usage");
    }
}
