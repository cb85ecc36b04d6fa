package com.nova.buyers;

import com.nova.kit.testing.ServiceContractTest;
import com.nova.kit.testing.SuiteTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = SuiteTestResource.class, initArgs = @ResourceArg(name = "database", value = "buyer_registry_test"))
class BuyerRegistryContractTest extends ServiceContractTest {

    @Override
    protected String protectedPath() {
        return "/v1/buyers/audit";
    }

    @Override
    protected String allowedRole() {
        return "admin";
    }

    @Override
    protected String deniedRole() {
        return "buyer";
    }
}
