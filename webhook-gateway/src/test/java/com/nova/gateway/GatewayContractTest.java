package com.nova.gateway;

import com.nova.kit.testing.ServiceContractTest;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@GatewayTest
class GatewayContractTest extends ServiceContractTest {

    GatewayContractTest() {
        super("/webhooks/audit", "admin", "driver");
    }
}
