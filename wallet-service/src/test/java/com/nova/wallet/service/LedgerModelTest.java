package com.nova.wallet.service;

import static com.nova.kit.testing.TestRequests.as;
import static com.nova.wallet.WalletFixtures.balance;
import static com.nova.wallet.WalletFixtures.purchase;
import static com.nova.wallet.WalletFixtures.redeem;
import static com.nova.wallet.WalletFixtures.refund;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nova.kit.events.EventEnvelope;
import com.nova.wallet.WalletFixtures;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;

/**
 * Model-based: random sequences (fixed seeds, so a failure replays) of grants, refunds,
 * redemptions, replays of each and bursts of concurrent redemptions. After every run: no
 * negative balance, every transaction balances, every wallet equals its entries and the model's
 * expectation, and every idempotency key kept its first outcome.
 */
@QuarkusTest
@WalletTest
class LedgerModelTest {

    @Inject
    GrantService grants;

    private record Redemption(String driver, String key, String merchant, long amount, int status, String transactionId) {
    }

    private record Grant(String driver, String paymentId, long amountMinor, long points) {
    }

    void apply(EventEnvelope e) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> grants.apply(e));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 7, 42, 1234, 99991 })
    void randomHistoriesKeepEveryInvariant(long seed) throws Exception {
        Random random = new Random(seed);
        String run = "m" + seed + "-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> drivers = List.of(run + "-a", run + "-b", run + "-c");
        Map<String, Long> expected = new HashMap<>();
        drivers.forEach(d -> expected.put(d, 0L));
        List<Grant> granted = new ArrayList<>();
        Map<String, EventEnvelope> events = new HashMap<>();
        List<Redemption> redemptions = new ArrayList<>();

        for (int step = 0; step < 40; step++) {
            String d = drivers.get(random.nextInt(drivers.size()));
            int op = random.nextInt(10);
            if (op < 3 || granted.isEmpty()) { // a purchase
                long minor = 100 + random.nextInt(20_000);
                String pay = "pi_" + run + "_" + step;
                EventEnvelope e = purchase("stripe", pay, d, "m-1", minor, "USD");
                events.put(pay, e);
                apply(e);
                granted.add(new Grant(d, pay, minor, minor / 100));
                expected.merge(d, minor / 100, Long::sum);
            } else if (op == 3) { // the same purchase event again
                Grant g = granted.get(random.nextInt(granted.size()));
                apply(events.get(g.paymentId()));
            } else if (op == 4) { // a refund of part of a purchase (and sometimes its replay)
                Grant g = granted.get(random.nextInt(granted.size()));
                long before = balance(g.driver());
                long reversedBefore = WalletFixtures.count("select reversed_points from purchase_grant where payment_id = '"
                        + g.paymentId() + "'");
                long refundedBefore = WalletFixtures.count("select refunded_minor from purchase_grant where payment_id = '"
                        + g.paymentId() + "'");
                long part = 1 + random.nextInt((int) Math.max(1, g.amountMinor() / 2));
                EventEnvelope r = refund("stripe", g.paymentId(), "re_" + run + "_" + step, part);
                apply(r);
                if (random.nextBoolean()) {
                    apply(r);
                }
                long refunded = Math.min(g.amountMinor(), refundedBefore + part);
                long due = g.points() * refunded / g.amountMinor() - reversedBefore;
                expected.merge(g.driver(), -Math.min(due, before), Long::sum);
            } else if (op < 8) { // a redemption, sometimes retried with the same key
                long amount = 1 + random.nextInt(60);
                String key = "k-" + run + "-" + step;
                var response = redeem(d, key, "m-2", amount);
                Redemption r = new Redemption(d, key, "m-2", amount, response.statusCode(),
                        response.statusCode() == 201 ? response.jsonPath().getString("transactionId") : null);
                redemptions.add(r);
                if (r.status() == 201) {
                    expected.merge(d, -amount, Long::sum);
                }
            } else { // a burst of concurrent redemptions on one wallet
                List<CompletableFuture<Redemption>> burst = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    long amount = 1 + random.nextInt(40);
                    String key = "k-" + run + "-" + step + "-" + i;
                    burst.add(CompletableFuture.supplyAsync(() -> {
                        var response = redeem(d, key, "m-2", amount);
                        return new Redemption(d, key, "m-2", amount, response.statusCode(),
                                response.statusCode() == 201 ? response.jsonPath().getString("transactionId") : null);
                    }));
                }
                for (CompletableFuture<Redemption> f : burst) {
                    Redemption r = f.get();
                    redemptions.add(r);
                    if (r.status() == 201) {
                        expected.merge(d, -r.amount(), Long::sum);
                    }
                }
            }
        }

        for (String d : drivers) {
            long actual = balance(d);
            assertTrue(actual >= 0, "seed " + seed + ": negative balance");
            assertEquals(expected.get(d), actual, "seed " + seed + ": balance of " + d + " differs from the model");
        }
        JsonPath reconciliation = as("ops", "admin").get("/v1/wallets/reconciliation").then().statusCode(200).extract()
                .jsonPath();
        assertTrue(reconciliation.getBoolean("consistent"), "seed " + seed + ": " + reconciliation.prettify());
        assertEquals(0, reconciliation.getLong("unbalancedTransactions"));
        for (Redemption r : redemptions) {
            assertTrue(r.status() == 201 || r.status() == 409, "seed " + seed + ": status " + r.status());
            var again = redeem(r.driver(), r.key(), r.merchant(), r.amount());
            assertEquals(r.status(), again.statusCode(), "seed " + seed + ": key " + r.key() + " changed its outcome");
            if (r.status() == 201) {
                assertEquals(r.transactionId(), again.jsonPath().getString("transactionId"));
            }
        }
    }
}
