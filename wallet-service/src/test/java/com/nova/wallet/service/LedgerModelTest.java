package com.nova.wallet.service;

import static com.nova.kit.testing.TestRequests.as;
import static com.nova.wallet.WalletFixtures.balance;
import static com.nova.wallet.WalletFixtures.capture;
import static com.nova.wallet.WalletFixtures.hold;
import static com.nova.wallet.WalletFixtures.wallet;
import static com.nova.wallet.WalletFixtures.purchase;
import static com.nova.wallet.WalletFixtures.redeem;
import static com.nova.wallet.WalletFixtures.refund;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nova.kit.events.EventEnvelope;
import com.nova.wallet.TestClock;
import com.nova.wallet.WalletFixtures;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;

/**
 * Model-based: random sequences (fixed seeds, so a failure replays) of grants, refunds,
 * redemptions, holds, captures, voids, hold expiries, replays of each and bursts of concurrent
 * redemptions and holds; point expiry at the end. After every step, for every driver: the
 * balance and held points are the model's, neither balance nor available is negative, the
 * balance is the sum of its posted entries and of its lots, held is its active holds and its
 * pending entries. After the run: reconciliation is consistent, every hold ended in exactly one
 * state, no capture exceeds its hold, and every idempotency key answers its first outcome again.
 */
@QuarkusTest
@WalletTest
class LedgerModelTest {

    @Inject
    GrantService grants;

    @Inject
    ExpiryJobs expiry;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A hold as the model knows it, and the answer its key gave. */
    private static final class Hold {
        final String driver;
        final String key;
        final String merchant;
        final long amount;
        final String id;
        String status = "active";
        String captureKey;
        long captured;
        int captureStatus;

        Hold(String driver, String key, String merchant, long amount, String id) {
            this.driver = driver;
            this.key = key;
            this.merchant = merchant;
            this.amount = amount;
            this.id = id;
        }
    }

    private record HoldAttempt(String driver, String key, String merchant, long amount, int status, String holdId) {
    }

    private record Redemption(String driver, String key, String merchant, long amount, int status, String transactionId) {
    }

    private record Grant(String driver, String paymentId, long amountMinor, long points) {
    }

    /** The invariants, for every driver, after a step: its wallet row against its entries, holds and lots, in one query. */
    private static void check(long seed, List<String> drivers, Map<String, Long> expected, Map<String, Long> held) throws SQLException {
        try (Connection c = WalletFixtures.db(); PreparedStatement st = c.prepareStatement("""
                select w.driver_id, w.nova_balance, w.held,
                    (select coalesce(sum(case direction when 'C' then amount else -amount end), 0) from ledger_entry
                     where account = 'driver:' || w.driver_id and phase = 'posted'),
                    (select coalesce(sum(case direction when 'D' then amount else -amount end), 0) from ledger_entry
                     where account = 'driver:' || w.driver_id and phase = 'pending'),
                    (select coalesce(sum(amount), 0) from wallet_hold where driver_id = w.driver_id and status = 'active'),
                    (select coalesce(sum(remaining), 0) from point_lot where driver_id = w.driver_id)
                from driver_wallets w where w.driver_id = any (?)""")) {
            st.setArray(1, c.createArrayOf("text", drivers.toArray()));
            Map<String, long[]> rows = new HashMap<>();
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), new long[] { r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7) });
                }
            }
            for (String d : drivers) {
                long[] w = rows.getOrDefault(d, new long[6]);
                String step = "seed " + seed + ", " + d + ": ";
                assertEquals(expected.get(d), w[0], step + "balance differs from the model");
                assertEquals(held.get(d), w[1], step + "held differs from the model");
                assertTrue(w[0] >= 0 && w[0] - w[1] >= 0, step + "negative balance or available");
                assertEquals(w[0], w[2], step + "balance is not its posted entries");
                assertEquals(w[1], w[3], step + "held is not its pending entries");
                assertEquals(w[1], w[4], step + "held is not its active holds");
                assertEquals(w[0], w[5], step + "balance is not what its lots have left");
            }
        }
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
        Map<String, Long> held = new HashMap<>();
        drivers.forEach(d -> held.put(d, 0L));
        List<Hold> holds = new ArrayList<>();
        List<HoldAttempt> attempts = new ArrayList<>();

        for (int step = 0; step < 60; step++) {
            String d = drivers.get(random.nextInt(drivers.size()));
            int op = random.nextInt(15);
            List<Hold> active = holds.stream().filter(h -> h.status.equals("active")).toList();
            if (op >= 10 && op <= 11) { // a hold at the start of a session
                long amount = 1 + random.nextInt(80);
                String key = "h-" + run + "-" + step;
                long available = expected.get(d) - held.get(d);
                var response = hold(d, key, "charger-" + run, amount);
                attempts.add(new HoldAttempt(d, key, "charger-" + run, amount, response.statusCode(),
                        response.statusCode() == 201 ? response.path("holdId") : null));
                if (response.statusCode() == 201) {
                    holds.add(new Hold(d, key, "charger-" + run, amount, response.path("holdId")));
                    held.merge(d, amount, Long::sum);
                    assertTrue(amount <= available, "seed " + seed + ": held " + amount + " of " + available + " available");
                } else {
                    assertEquals(409, response.statusCode(), "seed " + seed);
                    assertTrue(amount > available, "seed " + seed + ": refused " + amount + " with " + available + " available");
                }
    
                continue;
            }
            if (op == 12 && !active.isEmpty()) { // the session ends: capture what it cost (sometimes too much), maybe retried
                Hold h = active.get(random.nextInt(active.size()));
                long amount = random.nextInt((int) h.amount + 10);
                h.captureKey = "c-" + run + "-" + step;
                var response = capture(h.merchant, h.driver, h.id, h.captureKey, amount);
                h.captureStatus = response.statusCode();
                if (amount > h.amount) {
                    assertEquals(409, response.statusCode(), "seed " + seed + ": capture over the hold");
                } else {
                    assertEquals(200, response.statusCode(), "seed " + seed + ": " + response.asString());
                    h.status = "captured";
                    h.captured = amount;
                    expected.merge(h.driver, -amount, Long::sum);
                    held.merge(h.driver, -h.amount, Long::sum);
                }
                if (random.nextBoolean()) {
                    assertEquals(h.captureStatus, capture(h.merchant, h.driver, h.id, h.captureKey, amount).statusCode(),
                            "seed " + seed + ": a retried capture");
                }
                h.captured = amount;
                check(seed, drivers, expected, held);
                continue;
            }
            if (op == 13 && !active.isEmpty()) { // the session is cancelled
                Hold h = active.get(random.nextInt(active.size()));
                as(h.driver, "driver").post("/v1/wallets/me/holds/" + h.id + "/void").then().statusCode(200);
                h.status = "voided";
                held.merge(h.driver, -h.amount, Long::sum);
                check(seed, drivers, expected, held);
                continue;
            }
            if (op == 14) { // sessions nobody ended: their holds' time runs out
                clock.advance(Duration.ofHours(5));
                expiry.runOnce().await().indefinitely();
                clock.reset();
                for (Hold h : active) {
                    h.status = "expired";
                    held.merge(h.driver, -h.amount, Long::sum);
                }
                check(seed, drivers, expected, held);
                continue;
            }
            if (op >= 10) {
                op = random.nextInt(10);
            }
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
                long before = wallet(g.driver()).getLong("available");
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
                List<CompletableFuture<HoldAttempt>> holdBurst = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    long amount = 1 + random.nextInt(40);
                    String key = "k-" + run + "-" + step + "-" + i;
                    if (random.nextBoolean()) {
                        burst.add(CompletableFuture.supplyAsync(() -> {
                            var response = redeem(d, key, "m-2", amount);
                            return new Redemption(d, key, "m-2", amount, response.statusCode(),
                                    response.statusCode() == 201 ? response.jsonPath().getString("transactionId") : null);
                        }));
                    } else {
                        holdBurst.add(CompletableFuture.supplyAsync(() -> {
                            var response = hold(d, key, "charger-" + run, amount);
                            return new HoldAttempt(d, key, "charger-" + run, amount, response.statusCode(),
                                    response.statusCode() == 201 ? response.path("holdId") : null);
                        }));
                    }
                }
                for (CompletableFuture<Redemption> f : burst) {
                    Redemption r = f.get();
                    redemptions.add(r);
                    if (r.status() == 201) {
                        expected.merge(d, -r.amount(), Long::sum);
                    }
                }
                for (CompletableFuture<HoldAttempt> f : holdBurst) {
                    HoldAttempt a = f.get();
                    attempts.add(a);
                    assertTrue(a.status() == 201 || a.status() == 409, "seed " + seed + ": hold status " + a.status());
                    if (a.status() == 201) {
                        holds.add(new Hold(d, a.key(), a.merchant(), a.amount(), a.holdId()));
                        held.merge(d, a.amount(), Long::sum);
                    }
                }
            }
            check(seed, drivers, expected, held);
        }

        // A year on: every hold's time ran out long ago, and every point expires (PointLotsTest shows
        // points held by a running session waiting for it).
        clock.advance(Duration.ofDays(366));
        expiry.runOnce().await().indefinitely();
        clock.reset();
        for (Hold h : holds) {
            if (h.status.equals("active")) {
                h.status = "expired";
                held.merge(h.driver, -h.amount, Long::sum);
            }
        }
        drivers.forEach(d -> expected.put(d, 0L));
        check(seed, drivers, expected, held);

        for (String d : drivers) {
            long actual = balance(d);
            assertTrue(actual >= 0, "seed " + seed + ": negative balance");
            assertEquals(expected.get(d), actual, "seed " + seed + ": balance of " + d + " differs from the model");
        }
        JsonPath reconciliation = as("ops", "admin").get("/v1/wallets/reconciliation").then().statusCode(200).extract()
                .jsonPath();
        assertTrue(reconciliation.getBoolean("consistent"), "seed " + seed + ": " + reconciliation.prettify());
        assertEquals(0, reconciliation.getLong("unbalancedTransactions"));
        for (Hold h : holds) {
            assertEquals(h.status, as(h.driver, "driver").get("/v1/wallets/me/holds/" + h.id).then().statusCode(200).extract()
                    .path("status"), "seed " + seed + ": hold " + h.id + " ended otherwise than the model says");
            if (h.captureKey != null) {
                assertEquals(h.captureStatus, capture(h.merchant, h.driver, h.id, h.captureKey, h.captured).statusCode(),
                        "seed " + seed + ": capture key " + h.captureKey + " changed its outcome");
            }
        }
        assertEquals(0, WalletFixtures.count("select count(*) from wallet_hold where captured > amount"));
        for (HoldAttempt a : attempts) {
            var again = hold(a.driver(), a.key(), a.merchant(), a.amount());
            assertEquals(a.status(), again.statusCode(), "seed " + seed + ": hold key " + a.key() + " changed its outcome");
            if (a.status() == 201) {
                assertEquals(a.holdId(), again.path("holdId"));
            }
        }
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
