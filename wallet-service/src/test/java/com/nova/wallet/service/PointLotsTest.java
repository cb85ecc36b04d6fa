package com.nova.wallet.service;

import static com.nova.wallet.WalletFixtures.count;
import static com.nova.wallet.WalletFixtures.credit;
import static com.nova.wallet.WalletFixtures.driver;
import static com.nova.wallet.WalletFixtures.hold;
import static com.nova.wallet.WalletFixtures.purchase;
import static com.nova.wallet.WalletFixtures.redeem;
import static com.nova.wallet.WalletFixtures.refund;
import static com.nova.wallet.WalletFixtures.wallet;
import static com.nova.kit.testing.TestRequests.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.nova.kit.events.EventEnvelope;
import com.nova.wallet.TestClock;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;

/**
 * Point expiry: each grant is a lot that expires after a year (the default), spending takes the
 * lots that expire first, a refund takes back from its own payment's lot, and the job expires
 * what is left of a lot once, as an EXPIRY transaction, however many instances run it.
 */
@QuarkusTest
@WalletTest
class PointLotsTest {

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

    void apply(EventEnvelope e) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> grants.apply(e));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Three passes at once, as three instances would run them; yields what the driver's wallet lost. */
    long expireNow(String driver) {
        long before = wallet(driver).getLong("balance");
        List<CompletableFuture<ExpiryJobs.Pass>> passes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            passes.add(expiry.runOnce().subscribeAsCompletionStage());
        }
        passes.forEach(CompletableFuture::join);
        return before - wallet(driver).getLong("balance");
    }

    @Test
    void spendingTakesTheOldestPointsAndWhatIsLeftOfALotExpiresOnceAtItsTime() {
        String d = driver();
        apply(purchase("stripe", "pi_old_" + d, d, "m-1", 5_000, "USD")); // 50 points, expiring in a year
        Instant firstExpiry = Instant.parse(wallet(d).getString("nextExpiry.at"));
        assertEquals(50, wallet(d).getLong("nextExpiry.points"));
        clock.advance(Duration.ofDays(100));
        apply(purchase("stripe", "pi_new_" + d, d, "m-1", 3_000, "USD")); // 30 points, 100 days later
        redeem(d, "r-" + d, "m-2", 20).then().statusCode(201);
        // The 20 came from the older lot: 30 of it are left to expire first.
        JsonPath w = wallet(d);
        assertEquals(60, w.getLong("balance"));
        assertEquals(30, w.getLong("nextExpiry.points"));
        assertEquals(firstExpiry, Instant.parse(w.getString("nextExpiry.at")));

        clock.advance(Duration.ofDays(266)); // a year and a day after the first grant
        assertEquals(30, expireNow(d));
        w = wallet(d);
        assertEquals(30, w.getLong("balance"));
        assertEquals(30, w.getLong("nextExpiry.points"));
        assertEquals(1, count("select count(*) from ledger_transaction where driver_id = '" + d + "' and kind = 'EXPIRY'"));
        assertEquals(30, count("select coalesce(sum(amount), 0) from ledger_entry e join ledger_transaction t on t.id = e.transaction_id "
                + "where t.driver_id = '" + d + "' and t.kind = 'EXPIRY' and e.account = 'expired' and e.direction = 'C'"));
        // Running the job again expires nothing more.
        assertEquals(0, expireNow(d));
        clock.advance(Duration.ofDays(100));
        assertEquals(30, expireNow(d));
        w = wallet(d);
        assertEquals(0, w.getLong("balance"));
        assertNull(w.get("nextExpiry"));
        HoldServiceTest.reconciled();
    }

    @Test
    void aRefundTakesBackFromTheLotItsPaymentGranted() {
        String d = driver();
        String first = "pi_a_" + d;
        apply(purchase("stripe", first, d, "m-1", 4_000, "USD")); // 40, expires first
        clock.advance(Duration.ofDays(10));
        String second = "pi_b_" + d;
        apply(purchase("stripe", second, d, "m-1", 6_000, "USD")); // 60
        apply(refund("stripe", second, "re_" + d, 6_000)); // takes back the 60 of the second lot, not the first's 40
        assertEquals(40, wallet(d).getLong("balance"));
        assertEquals(40, count("select remaining from point_lot where payment_id = '" + first + "'"));
        assertEquals(0, count("select remaining from point_lot where payment_id = '" + second + "'"));
        HoldServiceTest.reconciled();
    }

    @Test
    void heldPointsAreNotExpiredUnderTheirSessionTheyExpireWhenTheHoldEndsUnspent() {
        String d = driver();
        credit(d, 100);
        clock.advance(Duration.ofDays(365).minusHours(1));
        String holdId = hold(d, "h-" + d, "charger-x", 80).then().statusCode(201).extract().path("holdId");
        clock.advance(Duration.ofHours(2)); // the lot is due, the hold (4 h) still runs
        assertEquals(20, expireNow(d));
        JsonPath w = wallet(d);
        assertEquals(80, w.getLong("balance"));
        assertEquals(80, w.getLong("held"));
        assertEquals(0, w.getLong("available"));
        as(d, "driver").post("/v1/wallets/me/holds/" + holdId + "/void").then().statusCode(200);
        assertEquals(80, expireNow(d));
        assertEquals(0, wallet(d).getLong("balance"));
        HoldServiceTest.reconciled();
    }

    @Test
    void theWalletShowsWhenItsNextPointsExpire() {
        String d = driver();
        OffsetDateTime before = OffsetDateTime.now().plusDays(365).minusMinutes(1);
        apply(purchase("square", "sq_" + UUID.randomUUID(), d, "m-1", 1_234, "USD"));
        JsonPath w = wallet(d);
        assertEquals(12, w.getLong("nextExpiry.points"));
        OffsetDateTime at = OffsetDateTime.parse(w.getString("nextExpiry.at"));
        assertEquals(true, at.isAfter(before) && at.isBefore(before.plusMinutes(5)), "expires a year after the grant: " + at);
    }
}
