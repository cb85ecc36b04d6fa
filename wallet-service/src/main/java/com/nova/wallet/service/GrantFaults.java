package com.nova.wallet.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/**
 * A seam where tests inject a failure in the middle of a grant (after the balance moved, before the
 * ledger entries exist) to prove the whole grant rolls back. Does nothing in the application.
 */
@ApplicationScoped
@DefaultBean
public class GrantFaults {

    public void afterBalanceUpdate(String paymentId) {
    }
}
