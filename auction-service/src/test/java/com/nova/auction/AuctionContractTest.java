package com.nova.auction;

import com.nova.kit.testing.ServiceContractTest;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@AuctionServiceTest
class AuctionContractTest extends ServiceContractTest {

    AuctionContractTest() {
        super("/admin/audit/entries", "admin", "publisher");
    }
}
