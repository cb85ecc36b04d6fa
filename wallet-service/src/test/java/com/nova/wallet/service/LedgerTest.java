package com.nova.wallet.service;

import static com.nova.kit.testing.TestRequests.as;
import static com.nova.wallet.WalletFixtures.balance;
import static com.nova.wallet.WalletFixtures.count;
import static com.nova.wallet.WalletFixtures.driver;
import static com.nova.wallet.WalletFixtures.purchase;
import static com.nova.wallet.WalletFixtures.redeem;
import static com.nova.wallet.WalletFixtures.refund;
import static com.nova.wallet.WalletFixtures.refundIn;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nova.kit.events.EventEnvelope;
import com.nova.kit.testing.TestRequests;
import com.nova.wallet.WalletFixtures;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;

/** Grants, refunds and redemptions against the real database: exact, atomic, idempotent, never negative. */
@QuarkusTest
@WalletTest
class LedgerTest {

    @Inject
    GrantService grants;

    void apply(EventEnvelope e) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> grants.apply(e));
        } catch (RuntimeException ex) {
            throw ex;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Test
    void aPurchaseGrantsOnePointPerWholeUnitRoundedDownOncePerPayment() throws Exception {
        String d = driver();
        String pay = "pi_" + UUID.randomUUID();
        apply(purchase("stripe", pay, d, "m-1", 2599, "USD"));
        assertEquals(25, balance(d));
        // Replayed, or re-forwarded under a new envelope id: still one grant.
        apply(purchase("stripe", pay, d, "m-1", 2599, "USD"));
        assertEquals(25, balance(d));
        as(d, "driver").get("/v1/wallets/me").then().body("lifetimeEarned", equalTo(25));
        assertEquals(1, count("select count(*) from ledger_transaction where idempotency_key = '" + pay + "'"));
    }

    @Test
    void anotherCurrencyEarnsOnlyAtARateAnAdminSetOtherwiseItIsParked() throws Exception {
        String d = driver();
        String merchant = "m-fx-" + UUID.randomUUID().toString().substring(0, 6);
        // Ten thousand yen are not ten thousand dollars: with no JPY rate nothing is granted, the purchase waits.
        String yen = "sq-" + UUID.randomUUID();
        apply(purchase("square", yen, d, merchant, 10_000, "JPY"));
        assertEquals(0, balance(d));
        assertEquals(1, count("select count(*) from parked_purchase where payment_id = '" + yen
                + "' and reason = 'unsupported_currency' and driver_id = '" + d + "'"));
        long parkedId = as("ops", "admin").get("/v1/wallets/parked-purchases").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.paymentId == '" + yen + "' }.id", Long.class).get(0);
        // Attributing it before a rate exists changes nothing.
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("driverId", d))
                .post("/v1/wallets/parked-purchases/" + parkedId + "/attribute").then().statusCode(409)
                .body("type", equalTo("urn:nova:problem:no-earn-rate"));
        assertEquals(0, balance(d));
        // The program currency's rate is not set per currency; a JPY rate for every merchant is.
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("pointsPerUnit", "2"))
                .put("/v1/wallets/earn-rates/USD").then().statusCode(400);
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("pointsPerUnit", "0.01"))
                .put("/v1/wallets/earn-rates/JPY").then().statusCode(200).body("pointsPerUnit", equalTo("0.01"));
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("driverId", d))
                .post("/v1/wallets/parked-purchases/" + parkedId + "/attribute").then().statusCode(200)
                .body("balance", equalTo(100));
        // New JPY purchases earn at it; a merchant's own JPY rate wins over the program-wide one.
        apply(purchase("square", "sq-" + UUID.randomUUID(), d, "m-other", 5_000, "JPY"));
        assertEquals(150, balance(d));
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("pointsPerUnit", "0.02"))
                .put("/v1/wallets/merchants/" + merchant + "/earn-rates/JPY").then().statusCode(200);
        String own = "sq-" + UUID.randomUUID();
        apply(purchase("square", own, d, merchant, 5_000, "JPY"));
        assertEquals(250, balance(d));
        // A refund takes back a share of the points its grant earned: a later rate change does not alter it.
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("pointsPerUnit", "1"))
                .put("/v1/wallets/merchants/" + merchant + "/earn-rates/JPY").then().statusCode(200);
        apply(refundIn("square", own, "sqr-" + UUID.randomUUID(), 2_500, "JPY"));
        assertEquals(200, balance(d));
        // A euro purchase with no EUR rate anywhere is parked too.
        apply(purchase("stripe", "pi_" + UUID.randomUUID(), d, merchant, 10_000, "EUR"));
        assertEquals(200, balance(d));
    }

    @Test
    void pointsFollowWhatWasCapturedAndALaterCaptureGrantsOnlyTheDifference() throws Exception {
        String d = driver();
        String pi = "pi_" + UUID.randomUUID();
        apply(purchase("stripe", pi, d, "m-1", 1_000, "USD"));
        assertEquals(10, balance(d));
        // More of the same payment captured later: only the difference, however often it is reported.
        apply(purchase("stripe", pi, d, "m-1", 1_550, "USD"));
        apply(purchase("stripe", pi, d, "m-1", 1_550, "USD"));
        assertEquals(15, balance(d));
        // An older, smaller total arriving late changes nothing.
        apply(purchase("stripe", pi, d, "m-1", 1_200, "USD"));
        assertEquals(15, balance(d));
        assertEquals(1, count("select count(*) from purchase_grant where payment_id = '" + pi + "' and amount_minor = 1550 and points = 15"));
        // A full refund takes back everything the payment earned, both grants.
        apply(refund("stripe", pi, "re_" + UUID.randomUUID(), 1_550));
        assertEquals(0, balance(d));
        as("ops", "admin").get("/v1/wallets/reconciliation").then().body("consistent", equalTo(true));
    }

    @Test
    void aRefundAfterACaptureThatRoundsDownNeverGoesNegativeOrDeadLetters() throws Exception {
        String d = driver();
        String pi = "pi_" + UUID.randomUUID();
        apply(purchase("stripe", pi, d, "m-1", 1_000, "USD"));
        apply(refund("stripe", pi, "re_" + UUID.randomUUID(), 950));
        assertEquals(1, balance(d));
        // The capture grows, earning no more (10.99 is still 10 points); its share of reversals would round lower.
        apply(purchase("stripe", pi, d, "m-1", 1_099, "USD"));
        apply(refund("stripe", pi, "re_" + UUID.randomUUID(), 10));
        assertEquals(1, balance(d), "a reversal never shrinks and is never negative");
        as("ops", "admin").get("/v1/wallets/reconciliation").then().body("consistent", equalTo(true));
    }

    @Test
    void aRefundReportedBeforeTheLargerCaptureItRefundsIsCountedInFull() throws Exception {
        String d = driver();
        String pi = "pi_" + UUID.randomUUID();
        apply(purchase("stripe", pi, d, "m-1", 1_000, "USD"));
        // The whole 15.00 is refunded before the event saying 15.00 (not 10.00) was captured arrives.
        apply(refund("stripe", pi, "re_" + UUID.randomUUID(), 1_500));
        assertEquals(0, balance(d));
        apply(purchase("stripe", pi, d, "m-1", 1_500, "USD"));
        assertEquals(0, balance(d), "a fully refunded payment earns nothing, whatever order its events came in");
        assertEquals(1, count("select count(*) from purchase_grant where payment_id = '" + pi
                + "' and points = 15 and reversed_points = 15 and refunded_minor = 1500"));
        as("ops", "admin").get("/v1/wallets/reconciliation").then().body("consistent", equalTo(true));
    }

    @Test
    void aParkedPurchaseRefundedBeforeItsAttributionIsToppedUpNetOfThatRefund() throws Exception {
        String pi = "pi_" + UUID.randomUUID();
        apply(purchase("stripe", pi, null, "m-1", 1_000, "USD"));
        apply(refund("stripe", pi, "re_" + UUID.randomUUID(), 400));
        long parkedId = as("ops", "admin").get("/v1/wallets/parked-purchases").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.paymentId == '" + pi + "' }.id", Long.class).get(0);
        String d = driver();
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("driverId", d))
                .post("/v1/wallets/parked-purchases/" + parkedId + "/attribute").then().statusCode(200)
                .body("balance", equalTo(6));
        // More was captured later: 15 points earned in all, of which the 4.00 refund still takes back 4.
        apply(purchase("stripe", pi, null, "m-1", 1_500, "USD"));
        assertEquals(11, balance(d));
        as("ops", "admin").get("/v1/wallets/reconciliation").then().body("consistent", equalTo(true));
    }

    @Test
    void concurrentCapturesOfOnePaymentEndAtTheLargestTotalOnce() throws Exception {
        String d = driver();
        String pi = "pi_" + UUID.randomUUID();
        List<CompletableFuture<Void>> copies = IntStream.range(0, 12)
                .mapToObj(i -> CompletableFuture.runAsync(() -> {
                    try {
                        apply(purchase("stripe", pi, d, "m-1", 1_000 + (i % 4) * 500, "USD"));
                    } catch (RuntimeException e) {
                        // a racing copy may lose on the inbox row and be redelivered: apply it again
                        apply(purchase("stripe", pi, d, "m-1", 1_000 + (i % 4) * 500, "USD"));
                    }
                }))
                .toList();
        for (CompletableFuture<Void> c : copies) {
            c.get();
        }
        assertEquals(25, balance(d));
        assertEquals(1, count("select count(*) from purchase_grant where payment_id = '" + pi + "' and amount_minor = 2500"));
    }

    @Test
    void twentyConcurrentCopiesOfOneGrantCreditOnce() throws Exception {
        String d = driver();
        String pay = "pi_" + UUID.randomUUID();
        List<CompletableFuture<Void>> copies = IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.runAsync(() -> apply(purchase("stripe", pay, d, "m-1", 5000, "USD"))))
                .toList();
        for (CompletableFuture<Void> c : copies) {
            try {
                c.get();
            } catch (Exception e) {
                // A copy racing the first on the inbox row may fail with a unique violation and be redelivered; never double.
            }
        }
        assertEquals(50, balance(d));
        assertEquals(1, count("select count(*) from ledger_transaction where kind = 'GRANT' and driver_id = '" + d + "'"));
    }

    @Test
    void aFailureAfterTheBalanceUpdateLeavesNothingBehind() throws Exception {
        String d = driver();
        String pay = TestGrantFaults.FAIL_PREFIX + UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> apply(purchase("stripe", pay, d, "m-1", 9900, "USD")));
        assertEquals(0, balance(d));
        assertEquals(0, count("select count(*) from driver_wallets where driver_id = '" + d + "'"));
        assertEquals(0, count("select count(*) from ledger_transaction where driver_id = '" + d + "'"));
        assertEquals(0, count("select count(*) from processed_event where source_event_id = '" + pay + "'"));
        assertEquals(0, count("select count(*) from purchase_grant where payment_id = '" + pay + "'"));
    }

    @Test
    void fiftyConcurrentRedemptionsOfTenFromOneHundredLeaveZero() throws Exception {
        String d = driver();
        apply(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 10000, "USD"));
        assertEquals(100, balance(d));
        List<CompletableFuture<Integer>> calls = IntStream.range(0, 50)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> redeem(d, "redeem-" + UUID.randomUUID(), "m-2", 10)
                        .statusCode()))
                .toList();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> c : calls) {
            statuses.add(c.get());
        }
        assertEquals(10, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(40, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(0, balance(d));
        assertEquals(40, count("select count(*) from ledger_transaction where driver_id = '" + d
                + "' and kind = 'REDEEM' and status = 'REJECTED'"), "every refusal is recorded");
    }

    @Test
    void anIdempotencyKeyKeepsItsOutcome() {
        String d = driver();
        apply(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 3000, "USD"));
        String key = "key-" + UUID.randomUUID();
        var first = redeem(d, key, "m-2", 20).then().statusCode(201).body("status", equalTo("COMMITTED"))
                .body("balance", equalTo(10)).extract().jsonPath();
        redeem(d, key, "m-2", 20).then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("transactionId", equalTo(first.getString("transactionId"))).body("balance", equalTo(10));
        assertEquals(10, balance(d));
        redeem(d, key, "m-2", 21).then().statusCode(422).body("type", equalTo("urn:nova:problem:idempotency-key-reused"));

        String refused = "key-" + UUID.randomUUID();
        redeem(d, refused, "m-2", 11).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:insufficient-balance"));
        // The driver earns more, but the refused key keeps its answer.
        apply(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 5000, "USD"));
        redeem(d, refused, "m-2", 11).then().statusCode(409).header("Idempotent-Replayed", "true");
        assertEquals(60, balance(d));
    }

    @Test
    void walletOperationsAreCounted() {
        String d = driver();
        apply(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 1000, "USD"));
        redeem(d, "key-" + UUID.randomUUID(), "m-2", 5).then().statusCode(201);
        redeem(d, "key-" + UUID.randomUUID(), "m-2", 500).then().statusCode(409);
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("wallet_operations_total{application=\"wallet-service\",kind=\"GRANT\",outcome=\"committed\"}",
                "wallet_operations_total{application=\"wallet-service\",kind=\"REDEEM\",outcome=\"committed\"}",
                "wallet_operations_total{application=\"wallet-service\",kind=\"REDEEM\",outcome=\"insufficient_balance\"}",
                "wallet_points_granted_total", "wallet_points_redeemed_total", "wallet_insufficient_balance_total",
                "kit_stream_lag")) {
            assertTrue(metrics.contains(name), name + " is exported");
        }
    }

    @Test
    void redemptionsAreValidated() {
        String d = driver();
        TestRequests.as(d, "driver").contentType(ContentType.JSON).body(Map.of("merchantId", "m", "amount", 5))
                .post("/v1/wallets/me/redemptions").then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        for (String body : List.of("{\"merchantId\":\"m\",\"amount\":10.5}", "{\"merchantId\":\"m\",\"amount\":0}",
                "{\"merchantId\":\"m\",\"amount\":-3}", "{\"merchantId\":\"\",\"amount\":3}", "{\"amount\":3}",
                "{\"merchantId\":\"m\",\"amount\":\"ten\"}", "{\"merchantId\":\"m' or 1=1\",\"amount\":3}")) {
            TestRequests.as(d, "driver").header("Idempotency-Key", "key-" + UUID.randomUUID())
                    .contentType(ContentType.JSON).body(body).post("/v1/wallets/me/redemptions").then()
                    .statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void refundsReverseProportionallyAndNeverBelowZero() throws Exception {
        String d = driver();
        String pay = "pi_" + UUID.randomUUID();
        apply(purchase("stripe", pay, d, "m-1", 10000, "USD")); // 100 points
        apply(refund("stripe", pay, "re_a" + UUID.randomUUID(), 3333)); // 33.33% -> 33
        assertEquals(67, balance(d));
        String re = "re_b" + UUID.randomUUID();
        apply(refund("stripe", pay, re, 3333)); // 66.66% -> 66 in total
        apply(refund("stripe", pay, re, 3333)); // the same refund again: nothing
        assertEquals(34, balance(d));
        // The driver spends 30 of the remaining 34; the last refund can take back only 4 of the 34 due.
        redeem(d, "key-" + UUID.randomUUID(), "m-2", 30).then().statusCode(201);
        apply(refund("stripe", pay, "re_c" + UUID.randomUUID(), 3334));
        assertEquals(0, balance(d));
        assertEquals(30, count("select shortfall from ledger_transaction where driver_id = '" + d
                + "' and kind = 'REVERSAL' and shortfall > 0"), "the spent part is recorded as a shortfall");
        as("ops", "admin").get("/v1/wallets/reconciliation").then().statusCode(200).body("consistent", equalTo(true));
    }

    @Test
    void reconciliationFindsABalanceThatDisagreesWithItsEntries() throws Exception {
        String d = driver();
        apply(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 1200, "USD"));
        as("ops", "admin").get("/v1/wallets/reconciliation").then().statusCode(200).body("consistent", equalTo(true));
        try (var c = WalletFixtures.db(); var st = c.createStatement()) {
            st.execute("update driver_wallets set nova_balance = nova_balance + 1000 where driver_id = '" + d + "'");
            as("ops", "admin").get("/v1/wallets/reconciliation").then().statusCode(200)
                    .body("consistent", equalTo(false))
                    .body("differences.find { it.driverId == '" + d + "' }.walletBalance", equalTo(1012))
                    .body("differences.find { it.driverId == '" + d + "' }.ledgerBalance", equalTo(12));
            st.execute("update driver_wallets set nova_balance = nova_balance - 1000 where driver_id = '" + d + "'");
        }
        as("ops", "admin").get("/v1/wallets/reconciliation").then().body("consistent", equalTo(true));
    }

    @Test
    void aPurchaseWithoutADriverIsParkedThenGrantedWhenAttributed() throws Exception {
        String pay = "sq-" + UUID.randomUUID();
        apply(purchase("square", pay, null, "m-9", 4200, "USD"));
        apply(refund("square", pay, "sqr-" + UUID.randomUUID(), 200));
        long parkedId = as("ops", "admin").get("/v1/wallets/parked-purchases").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.paymentId == '" + pay + "' }.id", Long.class).get(0);
        String d = driver();
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("driverId", d))
                .post("/v1/wallets/parked-purchases/" + parkedId + "/attribute").then().statusCode(200)
                .body("balance", equalTo(40));
        as("ops", "admin").contentType(ContentType.JSON).body(Map.of("driverId", driver()))
                .post("/v1/wallets/parked-purchases/" + parkedId + "/attribute").then().statusCode(409);
        assertEquals(40, balance(d));
        assertTrue(count("select count(*) from audit_log where action = 'wallet.parked-purchase.attributed'") >= 1);
    }

    @Test
    void merchantEarnRatesOverrideTheDefault() {
        String merchant = "m-rate-" + UUID.randomUUID().toString().substring(0, 6);
        as("ops", "admin").contentType(ContentType.JSON).body("{\"pointsPerUnit\":\"2.5\"}")
                .put("/v1/wallets/merchants/" + merchant + "/earn-rate").then().statusCode(200)
                .body("pointsPerUnit", equalTo("2.5"));
        String d = driver();
        apply(purchase("stripe", "pi_" + UUID.randomUUID(), d, merchant, 1999, "USD")); // 19.99 * 2.5 = 49.975 -> 49
        assertEquals(49, balance(d));
        as("ops", "admin").contentType(ContentType.JSON).body("{\"pointsPerUnit\":0}")
                .put("/v1/wallets/merchants/" + merchant + "/earn-rate").then().statusCode(400);
    }

    @Test
    void adminAdjustmentsAreGuardedAndAudited() throws Exception {
        String d = driver();
        as("ops", "admin").header("Idempotency-Key", "adj-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("direction", "CREDIT", "amount", 15, "reason", "goodwill for a broken charger"))
                .post("/v1/wallets/" + d + "/adjustments").then().statusCode(201).body("balance", equalTo(15));
        as("ops", "admin").header("Idempotency-Key", "adj-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("direction", "DEBIT", "amount", 16, "reason", "correction"))
                .post("/v1/wallets/" + d + "/adjustments").then().statusCode(409);
        as("ops", "admin").header("Idempotency-Key", "adj-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("direction", "DEBIT", "amount", 15, "reason", "correction"))
                .post("/v1/wallets/" + d + "/adjustments").then().statusCode(201).body("balance", equalTo(0));
        as("ops", "admin").queryParam("target", "driver:" + d).get("/v1/wallets/audit").then().statusCode(200)
                .body("items.action", equalTo(List.of("wallet.adjusted.debit", "wallet.adjusted.debit", "wallet.adjusted.credit")))
                .body("items[2].actor", equalTo("ops"));
    }
}
