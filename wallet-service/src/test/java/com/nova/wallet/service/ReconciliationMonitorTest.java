package com.nova.wallet.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nova.wallet.WalletFixtures;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;

/** The scheduled reconciliation publishes its findings: a wallet that disagrees with its ledger shows in /q/metrics. */
@QuarkusTest
@WalletTest
class ReconciliationMonitorTest {

    @Inject
    ReconciliationMonitor monitor;

    @Test
    void aWalletThatDisagreesWithItsEntriesIsCountedUntilItAgreesAgain() throws Exception {
        String d = "drift-" + UUID.randomUUID();
        try (Connection c = WalletFixtures.db(); Statement st = c.createStatement()) {
            // A wallet row with a balance no entry explains (written behind the service's back).
            st.execute("insert into driver_wallets (driver_id, nova_balance) values ('" + d + "', 7)");
            try {
                monitor.runOnce().await().indefinitely();
                given().get("/q/metrics").then().statusCode(200)
                        .body(containsString("wallet_reconciliation_differences{application=\"wallet-service\"} 1.0"))
                        .body(containsString("wallet_reconciliation_unbalanced_transactions"));
            } finally {
                st.execute("delete from driver_wallets where driver_id = '" + d + "'");
            }
            monitor.runOnce().await().indefinitely();
            given().get("/q/metrics").then().body(containsString("wallet_reconciliation_differences{application=\"wallet-service\"} 0.0"));
        }
    }
}
