package com.nova.wallet;

import com.nova.kit.testing.ServiceContractTest;
import com.nova.kit.testing.SuiteTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = SuiteTestResource.class, initArgs = @ResourceArg(name = "database", value = "wallet_test"))
class WalletContractTest extends ServiceContractTest {

    @Override
    protected String protectedPath() {
        return "/v1/wallets/me";
    }

    @Override
    protected String allowedRole() {
        return "driver";
    }

    @Override
    protected String deniedRole() {
        return "merchant";
    }
}
