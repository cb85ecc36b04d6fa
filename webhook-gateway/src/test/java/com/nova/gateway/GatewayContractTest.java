package com.nova.gateway;

import com.nova.kit.testing.ServiceContractTest;
import com.nova.kit.testing.SuiteTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = SuiteTestResource.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
class GatewayContractTest extends ServiceContractTest {

    @Override
    protected String protectedPath() {
        return "/webhooks/audit";
    }

    @Override
    protected String allowedRole() {
        return "admin";
    }

    @Override
    protected String deniedRole() {
        return "driver";
    }
}
