package com.nova.wallet.service;

import static com.nova.kit.testing.TestRequests.as;
import static com.nova.wallet.WalletFixtures.capture;
import static com.nova.wallet.WalletFixtures.count;
import static com.nova.wallet.WalletFixtures.credit;
import static com.nova.wallet.WalletFixtures.driver;
import static com.nova.wallet.WalletFixtures.hold;
import static com.nova.wallet.WalletFixtures.redeem;
import static com.nova.wallet.WalletFixtures.wallet;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.nova.wallet.TestClock;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Holds for charging sessions: reserve, capture what the session cost, release the rest; void; expire. */
@QuarkusTest
@WalletTest
class HoldServiceTest {

    @Inject
    TestClock clock;

    @Inject
    ExpiryJobs expiry;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aCaptureSpendsWhatTheSessionCostAndReleasesTheRestOnce() {
        String d = driver();
        String merchant = "charger-" + UUID.randomUUID().toString().substring(0, 8);
        credit(d, 100);
        Response held = hold(d, "session-1-" + d, merchant, 60);
        held.then().statusCode(201).body("status", equalTo("active")).body("amount", equalTo(60))
                .body("merchantId", equalTo(merchant)).body("expiresAt", notNullValue());
        String holdId = held.path("holdId");
        JsonPath w = wallet(d);
        assertEquals(100, w.getLong("balance"));
        assertEquals(60, w.getLong("held"));
        assertEquals(40, w.getLong("available"));
        // Redemptions spend only what is available.
        redeem(d, "r-" + d, "m-2", 50).then().statusCode(409).body("type", endsWith("insufficient-balance"));
        redeem(d, "r2-" + d, "m-2", 40).then().statusCode(201);

        Response captured = capture(merchant, d, holdId, "end-" + holdId, 45);
        captured.then().statusCode(200).body("status", equalTo("captured")).body("captured", equalTo(45))
                .body("released", equalTo(15)).header("Idempotent-Replayed", nullValue());
        w = wallet(d);
        assertEquals(15, w.getLong("balance"));
        assertEquals(0, w.getLong("held"));
        assertEquals(15, w.getLong("available"));
        assertEquals(85, w.getLong("lifetimeRedeemed"));

        // The charger's backend retries: the first answer again, nothing applied twice.
        capture(merchant, d, holdId, "end-" + holdId, 45).then().statusCode(200).body("captured", equalTo(45))
                .header("Idempotent-Replayed", equalTo("true"));
        // The same key for another amount is another request.
        capture(merchant, d, holdId, "end-" + holdId, 44).then().statusCode(422);
        // A second capture under another key, and a void after the capture, change nothing.
        capture(merchant, d, holdId, "again-" + holdId, 10).then().statusCode(409).body("type", endsWith("hold-captured"));
        as(d, "driver").post("/v1/wallets/me/holds/" + holdId + "/void").then().statusCode(409);
        assertEquals(15, wallet(d).getLong("balance"));
        assertEquals(1, count("select count(*) from ledger_transaction where kind = 'CAPTURE' and status = 'COMMITTED' and reference = '"
                + holdId + "'"));
        // In the ledger: pending entries reserved and then released, the spend posted to the merchant.
        assertEquals(0, count("select coalesce(sum(case direction when 'D' then amount else -amount end), 0) from ledger_entry "
                + "where account = 'driver:" + d + "' and phase = 'pending'"));
        assertEquals(45, count("select coalesce(sum(case direction when 'C' then amount else -amount end), 0) from ledger_entry "
                + "where account = 'merchant:" + merchant + "' and phase = 'posted'"));
        as(d, "driver").get("/v1/wallets/me/holds/" + holdId).then().statusCode(200).body("status", equalTo("captured"));
        as(d, "driver").get("/v1/wallets/me/holds?status=captured").then().statusCode(200)
                .body("items.holdId", hasItem(holdId));
        reconciled();
    }

    @Test
    void aHoldTheAvailablePointsDoNotCoverIsRefusedAndItsKeyAnswersTheRefusalAgain() {
        String d = driver();
        credit(d, 30);
        hold(d, "big-" + d, "charger-1", 31).then().statusCode(409).body("type", endsWith("insufficient-available"));
        assertEquals(0, wallet(d).getLong("held"));
        credit(d, 10);
        // Now it would fit, but the key already has its answer.
        hold(d, "big-" + d, "charger-1", 31).then().statusCode(409).header("Idempotent-Replayed", equalTo("true"));
        hold(d, "big-" + d, "charger-1", 32).then().statusCode(422);
        hold(d, "big2-" + d, "charger-1", 31).then().statusCode(201);
        as(d, "driver").contentType(ContentType.JSON).body(Map.of("merchantId", "charger-1", "amount", 5))
                .post("/v1/wallets/me/holds").then().statusCode(400);
    }

    @Test
    void aCaptureMoreThanHeldIsRefusedAndTheHoldStaysActive() {
        String d = driver();
        credit(d, 100);
        String holdId = hold(d, "h-" + d, "charger-2", 20).then().statusCode(201).extract().path("holdId");
        capture("charger-2", d, holdId, "too-much-" + holdId, 21).then().statusCode(409)
                .body("type", endsWith("exceeds-hold"));
        as(d, "driver").get("/v1/wallets/me/holds/" + holdId).then().body("status", equalTo("active"));
        // The driver's own app may capture too; zero spends nothing and releases all.
        as(d, "driver").header("Idempotency-Key", "zero-" + holdId).contentType(ContentType.JSON).body(Map.of("amount", 0))
                .post("/v1/wallets/me/holds/" + holdId + "/capture").then().statusCode(200).body("captured", equalTo(0))
                .body("released", equalTo(20));
        assertEquals(100, wallet(d).getLong("available"));
    }

    @Test
    void anotherDriversOrAnotherMerchantsHoldDoesNotExistForThem() {
        String d = driver();
        credit(d, 50);
        String holdId = hold(d, "h-" + d, "charger-a", 10).then().statusCode(201).extract().path("holdId");
        String other = driver();
        as(other, "driver").get("/v1/wallets/me/holds/" + holdId).then().statusCode(404);
        as(other, "driver").post("/v1/wallets/me/holds/" + holdId + "/void").then().statusCode(404);
        as(other, "driver").header("Idempotency-Key", "k-" + other).contentType(ContentType.JSON).body(Map.of("amount", 1))
                .post("/v1/wallets/" + d + "/holds/" + holdId + "/capture").then().statusCode(404);
        capture("charger-b", d, holdId, "key-b-" + holdId, 1).then().statusCode(404).body("detail", not(
                containsString(d)));
        as("charger-b", "merchant").get("/v1/wallets/" + d + "/holds/" + holdId).then().statusCode(404);
        as("charger-a", "merchant").get("/v1/wallets/" + d + "/holds/" + holdId).then().statusCode(200);
        // The right hold under the wrong driver is no hold either.
        capture("charger-a", other, holdId, "key-a-" + holdId, 1).then().statusCode(404);
        as(d, "driver").get("/v1/wallets/me/holds/" + holdId).then().body("status", equalTo("active"));
    }

    @Test
    void aVoidReleasesEverythingOnceAndACaptureAfterItIsRefused() {
        String d = driver();
        credit(d, 40);
        String holdId = hold(d, "h-" + d, "charger-v", 25).then().statusCode(201).extract().path("holdId");
        as("charger-v", "merchant").post("/v1/wallets/" + d + "/holds/" + holdId + "/void").then().statusCode(200)
                .body("status", equalTo("voided")).body("released", equalTo(25));
        as(d, "driver").post("/v1/wallets/me/holds/" + holdId + "/void").then().statusCode(200)
                .header("Idempotent-Replayed", equalTo("true"));
        capture("charger-v", d, holdId, "late-" + holdId, 5).then().statusCode(409).body("type", endsWith("hold-voided"));
        JsonPath w = wallet(d);
        assertEquals(40, w.getLong("balance"));
        assertEquals(40, w.getLong("available"));
    }

    @Test
    void aHoldNobodyEndsExpiresAndACaptureAfterItsTimeIsRefused() {
        String d = driver();
        credit(d, 100);
        String late = as(d, "driver").header("Idempotency-Key", "late-" + d).contentType(ContentType.JSON)
                .body(Map.of("merchantId", "charger-e", "amount", 30, "expiresIn", "PT10M")).post("/v1/wallets/me/holds")
                .then().statusCode(201).extract().path("holdId");
        String forgotten = hold(d, "forgotten-" + d, "charger-e", 50).then().statusCode(201).extract().path("holdId");
        clock.advance(Duration.ofMinutes(11));
        // Its time ran out before the job came by: the capture is refused and the hold ends as expired.
        capture("charger-e", d, late, "end-" + late, 30).then().statusCode(409).body("type", endsWith("hold-expired"));
        as(d, "driver").get("/v1/wallets/me/holds/" + late).then().body("status", equalTo("expired")).body("released", equalTo(30));
        assertEquals(50, wallet(d).getLong("held"));
        // The default is 4 hours: the job releases the other one then, once however many instances run it.
        clock.advance(Duration.ofHours(4));
        List<CompletableFuture<ExpiryJobs.Pass>> passes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            passes.add(expiry.runOnce().subscribeAsCompletionStage());
        }
        passes.forEach(CompletableFuture::join);
        as(d, "driver").get("/v1/wallets/me/holds/" + forgotten).then().body("status", equalTo("expired"));
        assertEquals(1, count("select count(*) from ledger_transaction where kind = 'RELEASE' and reason = 'expired' and reference = '"
                + forgotten + "'"));
        JsonPath w = wallet(d);
        assertEquals(100, w.getLong("balance"));
        assertEquals(0, w.getLong("held"));
        capture("charger-e", d, forgotten, "end-" + forgotten, 1).then().statusCode(409);
        given().get("/q/metrics").then()
                .body(containsString("wallet_holds_total{application=\"wallet-service\",outcome=\"expired\"}"));
        reconciled();
    }

    @Test
    void anExpiryTooLongOrMalformedIsRefused() {
        String d = driver();
        credit(d, 10);
        for (String bad : List.of("PT25H", "PT30S", "two hours", "P")) {
            as(d, "driver").header("Idempotency-Key", "bad-" + UUID.randomUUID()).contentType(ContentType.JSON)
                    .body(Map.of("merchantId", "charger-x", "amount", 1, "expiresIn", bad)).post("/v1/wallets/me/holds")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        as(d, "driver").header("Idempotency-Key", "neg-" + d).contentType(ContentType.JSON)
                .body(Map.of("merchantId", "charger-x", "amount", -1)).post("/v1/wallets/me/holds").then().statusCode(400);
        assertEquals(0, wallet(d).getLong("held"));
    }

    @Test
    void fiftyConcurrentHoldsOnOneWalletNeverHoldMoreThanItHas() throws Exception {
        String d = driver();
        credit(d, 1_000);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String key = "c-" + i + "-" + d;
                calls.add(CompletableFuture.supplyAsync(() -> hold(d, key, "charger-c", 30).statusCode(), pool));
            }
            int created = 0;
            int refused = 0;
            for (CompletableFuture<Integer> c : calls) {
                int status = c.get();
                if (status == 201) {
                    created++;
                } else if (status == 409) {
                    refused++;
                } else {
                    throw new AssertionError("status " + status);
                }
            }
            // 1,000 points hold 33 sessions of 30: never one more, and none refused while points were left.
            assertEquals(33, created);
            assertEquals(17, refused);
        } finally {
            pool.shutdownNow();
        }
        JsonPath w = wallet(d);
        assertEquals(990, w.getLong("held"));
        assertEquals(10, w.getLong("available"));
        assertEquals(33, count("select count(*) from wallet_hold where driver_id = '" + d + "' and status = 'active'"));
        reconciled();
    }

    static void reconciled() {
        JsonPath r = as("ops", "admin").get("/v1/wallets/reconciliation").then().statusCode(200).extract().jsonPath();
        assertTrue(r.getBoolean("consistent"), r.prettify());
    }
}
