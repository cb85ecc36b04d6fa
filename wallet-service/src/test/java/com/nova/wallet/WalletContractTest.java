package com.nova.wallet;

import com.nova.kit.testing.ServiceContractTest;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WalletTest
class WalletContractTest extends ServiceContractTest {

    WalletContractTest() {
        super("/v1/wallets/me", "driver", "merchant");
    }
}
