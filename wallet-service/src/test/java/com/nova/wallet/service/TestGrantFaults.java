package com.nova.wallet.service;

import jakarta.inject.Singleton;

/** Fails a grant right after its balance update when the payment id asks for it. */
@Singleton
public class TestGrantFaults extends GrantFaults {

    public static final String FAIL_PREFIX = "fail-after-balance-";

    @Override
    public void afterBalanceUpdate(String paymentId) {
        if (paymentId.startsWith(FAIL_PREFIX)) {
            throw new IllegalStateException("injected failure after the balance update");
        }
    }
}
