package com.nova.wallet.service;

import static com.nova.kit.testing.TestRequests.as;
import static com.nova.wallet.WalletFixtures.capture;
import static com.nova.wallet.WalletFixtures.credit;
import static com.nova.wallet.WalletFixtures.driver;
import static com.nova.wallet.WalletFixtures.hold;
import static com.nova.wallet.WalletFixtures.redeem;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Balance at a time and statements, from the immutable entries; JSON and CSV; paged; bounded. */
@QuarkusTest
@WalletTest
class StatementTest {

    static Instant pause() throws InterruptedException {
        Thread.sleep(20);
        Instant at = Instant.now();
        Thread.sleep(20);
        return at;
    }

    static JsonPath balanceAt(String d, Instant at) {
        return as(d, "driver").queryParam("at", at.toString()).get("/v1/wallets/me/balance").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theBalanceAtAnInstantAndAStatementWithRunningBalancesAgreeWithWhatHappened() throws Exception {
        String d = driver();
        Instant start = pause();
        credit(d, 100);
        Instant afterCredit = pause();
        String holdId = hold(d, "h-" + d, "charger-s", 40).then().statusCode(201).extract().path("holdId");
        Instant whileHeld = pause();
        redeem(d, "r-" + d, "m-2", 10).then().statusCode(201);
        capture("charger-s", d, holdId, "c-" + holdId, 25).then().statusCode(200);
        Instant end = pause();

        assertEquals(0, balanceAt(d, start).getLong("balance"));
        assertEquals(100, balanceAt(d, afterCredit).getLong("available"));
        JsonPath held = balanceAt(d, whileHeld);
        assertEquals(100, held.getLong("balance"));
        assertEquals(40, held.getLong("held"));
        assertEquals(60, held.getLong("available"));
        JsonPath last = balanceAt(d, end);
        assertEquals(65, last.getLong("balance"));
        assertEquals(0, last.getLong("held"));
        as("ops", "admin").queryParam("at", end.toString()).get("/v1/wallets/" + d + "/balance").then().statusCode(200)
                .body("balance", org.hamcrest.Matchers.equalTo(65));

        // From after the credit: opening 100, then the hold, the redemption and the capture.
        JsonPath s = as(d, "driver").queryParam("from", afterCredit.toString()).queryParam("to", end.toString())
                .get("/v1/wallets/me/statement").then().statusCode(200).extract().jsonPath();
        assertEquals(100, s.getLong("openingBalance"));
        assertEquals(65, s.getLong("closingBalance"));
        assertEquals(List.of("HOLD", "REDEEM", "CAPTURE"), s.getList("items.kind"));
        assertEquals(List.of(0, -10, -25), s.getList("items.balanceChange", Integer.class));
        assertEquals(List.of(40, 0, -40), s.getList("items.heldChange", Integer.class));
        assertEquals(List.of(100, 90, 65), s.getList("items.balance", Integer.class));
        assertNull(s.get("nextCursor"));

        // Two lines a page: the cursor carries on where the page ended, with the running balance.
        List<String> kinds = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(d, "driver").queryParam("from", start.toString()).queryParam("to", end.toString()).queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/wallets/me/statement").then().statusCode(200).extract().jsonPath();
            kinds.addAll(page.getList("items.kind"));
            if (kinds.size() == 4) {
                assertEquals(65, page.getLong("items[1].balance"));
            }
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 5);
        assertEquals(List.of("ADJUSTMENT", "HOLD", "REDEEM", "CAPTURE"), kinds);
        assertEquals(2, pages);

        // Newest first (what a driver's app shows first): the same lines backwards, the same running balances.
        List<Integer> balances = new ArrayList<>();
        kinds.clear();
        cursor = null;
        pages = 0;
        do {
            var request = as(d, "driver").queryParam("from", start.toString()).queryParam("to", end.toString()).queryParam("limit", 3)
                    .queryParam("order", "newest");
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/wallets/me/statement").then().statusCode(200).extract().jsonPath();
            kinds.addAll(page.getList("items.kind"));
            balances.addAll(page.getList("items.balance", Integer.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 5);
        assertEquals(List.of("CAPTURE", "REDEEM", "HOLD", "ADJUSTMENT"), kinds);
        assertEquals(List.of(65, 90, 100, 100), balances);
        assertEquals(2, pages);
        as(d, "driver").queryParam("from", start.toString()).queryParam("to", end.toString()).queryParam("order", "sideways")
                .get("/v1/wallets/me/statement").then().statusCode(400);

        // The same as CSV.
        Response csv = as(d, "driver").accept("text/csv").queryParam("from", afterCredit.toString()).queryParam("to", end.toString())
                .get("/v1/wallets/me/statement");
        csv.then().statusCode(200).contentType(containsString("text/csv"));
        String[] rows = csv.asString().split("\r\n");
        assertEquals(6, rows.length, csv.asString());
        assertTrue(rows[0].startsWith("row,at,transaction_id,kind"));
        assertTrue(rows[1].startsWith("opening,") && rows[1].endsWith(",100,0"), rows[1]);
        assertTrue(rows[3].contains(",REDEEM,m-2,") && rows[3].endsWith(",-10,0,90,40"), rows[3]);
        assertTrue(rows[5].startsWith("closing,") && rows[5].endsWith(",65,0"), rows[5]);
    }

    @Test
    void aCsvCellASpreadsheetWouldRunIsDefused() {
        String d = driver();
        Instant from = Instant.now().minusSeconds(5);
        as("ops", "admin").header("Idempotency-Key", "formula-" + d).contentType(ContentType.JSON)
                .body(Map.of("direction", "CREDIT", "amount", 5, "reason", "=HYPERLINK(\"http://evil\",\"x\")"))
                .post("/v1/wallets/" + d + "/adjustments").then().statusCode(201);
        String csv = as("ops", "admin").accept("text/csv").queryParam("from", from.toString())
                .queryParam("to", Instant.now().plusSeconds(5).toString()).get("/v1/wallets/" + d + "/statement").asString();
        assertTrue(csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\","), csv);
    }

    @Test
    void aRangeTooLongOrBackwardsAndAForgedCursorAreRefused() {
        String d = driver();
        for (Map<String, String> bad : List.of(Map.of("from", "2025-01-01", "to", "2026-06-01"),
                Map.of("from", "2026-06-01", "to", "2026-05-01"), Map.of("from", "yesterday", "to", "2026-05-01"),
                Map.of("from", "2026-05-01", "to", "2026-06-01", "cursor", "12.x"),
                Map.of("from", "2026-05-01", "to", "2026-06-01", "cursor", "1.2.3"))) {
            as(d, "driver").queryParams(bad).get("/v1/wallets/me/statement").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        as(d, "driver").get("/v1/wallets/me/balance").then().statusCode(400);
        as(d, "driver").queryParam("at", "2026-13-45T00:00:00Z").get("/v1/wallets/me/balance").then().statusCode(400);
        // A date is its UTC midnight.
        JsonPath b = as(d, "driver").queryParam("at", "2026-01-01").get("/v1/wallets/me/balance").then().statusCode(200).extract().jsonPath();
        assertNotNull(b.getString("at"));
        assertEquals(0, b.getLong("balance"));
    }
}
