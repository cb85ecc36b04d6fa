package com.nova.buyers;

import com.nova.kit.testing.ServiceContractTest;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@BuyerRegistryTest
class BuyerRegistryContractTest extends ServiceContractTest {

    BuyerRegistryContractTest() {
        super("/v1/buyers/audit", "admin", "buyer");
    }
}
