package com.nova.auction;

import static com.nova.auction.AuctionFixtures.admin;
import static com.nova.auction.AuctionFixtures.connect;
import static com.nova.auction.AuctionFixtures.count;
import static com.nova.auction.AuctionFixtures.footprint;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.settledFootprint;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.auction.AuctionFixtures.text;
import static com.nova.kit.testing.TestRequests.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.nova.auction.service.LeadFaults.Step;
import com.nova.auction.service.TestLeadFaults;

import io.quarkus.test.junit.QuarkusTest;

/** The auction through HTTP: who wins and why, caps and budgets under concurrency, revenue, atomicity. */
@QuarkusTest
@AuctionServiceTest
class AuctionTest extends AuctionTestBase {

    static final String A = "aaaaaaaa-0000-4000-8000-00000000000a";
    static final String B = "bbbbbbbb-0000-4000-8000-00000000000b";
    static final String C = "cccccccc-0000-4000-8000-00000000000c";
    static final String D = "dddddddd-0000-4000-8000-00000000000d";
    static final String E = "eeeeeeee-0000-4000-8000-00000000000e";

    @Inject
    TestLeadFaults faults;

    @AfterEach
    void noFaults() {
        faults.failAfter = null;
    }

    @Test
    void equalBidsGoToTheHigherPriorityAndEveryBuyerLearnsWhy() {
        ThirdParties.buyer(A, 1, "30.10", 1, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.buyer(B, 2, "30.10", 5, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.buyer(C, 3, "29.99", 9, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.buyer(D, 4, "99.00", 0, List.of("CA"), List.of("90"), null, null, null, "solar");
        ThirdParties.buyer(E, 5, "0.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String id = submit("pub-1", lead()).then().statusCode(201)
                .body("buyerId", equalTo(B)).body("price", equalTo("30.10")).extract().path("id");
        var auction = admin().get("/v1/leads/" + id + "/auction").then().statusCode(200)
                .body("decidingRule", equalTo("PRIORITY"))
                .body("winnerId", equalTo(B))
                .body("bids", hasSize(5))
                .extract().jsonPath();
        Map<String, String> outcome = new java.util.HashMap<>();
        for (int i = 0; i < 5; i++) {
            outcome.put(auction.getString("bids[" + i + "].buyerId"), auction.getString("bids[" + i + "].outcome"));
        }
        assertEquals(Map.of(A, "LOST_TIE_PRIORITY", B, "WON", C, "OUTBID", D, "FILTERED_ZIP", E, "INVALID_BID"), outcome);
        // A buyer sees its own line only, and not who won or at what price.
        as(A, "buyer").get("/v1/leads/" + id + "/auction/mine").then().statusCode(200)
                .body("bids", hasSize(1)).body("bids[0].outcome", equalTo("LOST_TIE_PRIORITY"))
                .body("bids[0].bid", equalTo("30.10"))
                .body("$", not(org.hamcrest.Matchers.hasKey("winnerId")));
        as("ffffffff-0000-4000-8000-00000000000f", "buyer").get("/v1/leads/" + id + "/auction/mine").then().statusCode(404);
        as("pub-1", "publisher").get("/v1/leads/" + id + "/auction").then().statusCode(403);
    }

    @Test
    void equalBidsAndPrioritiesGoToTheBuyerRegisteredFirst() {
        ThirdParties.buyer(B, 20, "15.00", 3, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.buyer(A, 10, "15.00", 3, List.of("CA"), List.of(), null, null, null, "solar");
        String id = submit("pub-1", lead()).then().statusCode(201).body("buyerId", equalTo(A)).extract().path("id");
        admin().get("/v1/leads/" + id + "/auction").then().body("decidingRule", equalTo("REGISTRATION_ORDER"));
    }

    @Test
    void aBuyerAtItsDailyCapLosesToTheNextAndTheReasonIsRecorded() {
        ThirdParties.buyer(A, 1, "50.00", 0, List.of("CA"), List.of(), 2, null, null, "solar");
        ThirdParties.buyer(B, 2, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        submit("pub-1", lead()).then().body("buyerId", equalTo(A));
        submit("pub-1", lead()).then().body("buyerId", equalTo(A));
        String third = submit("pub-1", lead()).then().body("buyerId", equalTo(B)).extract().path("id");
        admin().get("/v1/leads/" + third + "/auction").then()
                .body("bids.find { it.buyerId == '" + A + "' }.outcome", equalTo("OVER_DAILY_CAP"))
                .body("decidingRule", equalTo("ONLY_BIDDER"));
        // The next UTC day the cap is fresh.
        clock.advance(java.time.Duration.ofDays(1));
        submit("pub-1", lead()).then().body("buyerId", equalTo(A));
    }

    @Test
    void theDailyBudgetIsNeverExceeded() {
        ThirdParties.buyer(A, 1, "40.00", 0, List.of("CA"), List.of(), null, null, "100.00", "solar");
        submit("pub-1", lead()).then().body("buyerId", equalTo(A));
        submit("pub-1", lead()).then().body("buyerId", equalTo(A));
        String id = submit("pub-1", lead()).then().body("status", equalTo("UNSOLD")).extract().path("id");
        admin().get("/v1/leads/" + id + "/auction").then().body("bids[0].outcome", equalTo("OVER_DAILY_BUDGET"));
        assertEquals(0, new BigDecimal("80.00").compareTo(new BigDecimal(text("select day_spend from buyer_usage where buyer_id = ?::uuid", A))));
    }

    @Test
    void concurrentAuctionsNeverExceedACapOrBudget() throws Exception {
        ThirdParties.buyer(A, 1, "25.00", 0, List.of("CA"), List.of(), 7, null, null, "solar");
        ThirdParties.buyer(B, 2, "20.00", 0, List.of("CA"), List.of(), null, null, "60.00", "solar");
        int n = 24;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String[]>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> lead = lead();
            answers.add(pool.submit(() -> {
                go.await();
                var r = submit("pub-1", lead);
                assertEquals(201, r.statusCode(), r.asString());
                return new String[] { r.jsonPath().getString("id"), r.jsonPath().getString("buyerId") };
            }));
        }
        go.countDown();
        List<String> winners = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Future<String[]> f : answers) {
            String[] answer = f.get();
            ids.add(answer[0]);
            winners.add(answer[1]);
        }
        pool.shutdown();
        assertEquals(7, winners.stream().filter(A::equals).count(), "daily cap 7: " + winners);
        assertEquals(3, winners.stream().filter(B::equals).count(), "budget 60.00 at 20.00: " + winners);
        assertEquals(n - 10, winners.stream().filter(w -> w == null).count());
        assertEquals(7, count("select day_leads from buyer_usage where buyer_id = ?::uuid", A));
        assertEquals(7, count("select count(*) from lead where buyer_id = ?::uuid and id::text = any(string_to_array(?, ','))",
                A, String.join(",", ids)));
        assertEquals(0, new BigDecimal("60.00").compareTo(new BigDecimal(text("select day_spend from buyer_usage where buyer_id = ?::uuid", B))));
    }

    @Test
    void revenueSplitsThePriceExactly() {
        ThirdParties.buyer(A, 1, "33.33", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String id = submit("pub-1", lead()).then().body("price", equalTo("33.33")).extract().path("id");
        assertEquals("33.33|23.33|10.00", text(
                "select price || '|' || payout || '|' || margin from revenue_entry where lead_id = ?::uuid and kind = 'SALE'", id));
        assertEquals(0, count("select count(*) from revenue_entry where price <> payout + margin"));
    }

    @Test
    void aFailureAtAnyStepRollsBackTheWholeDecision() {
        ThirdParties.buyer(A, 1, "12.00", 0, List.of("CA"), List.of(), 100, null, null, "solar");
        for (Step step : Step.values()) {
            faults.failAfter = step;
            Map<String, Object> lead = lead();
            String before = settledFootprint();
            submit("pub-1", lead).then().statusCode(500).contentType("application/problem+json")
                    .body(not(containsString("injected"))).body(not(containsString("IllegalStateException")));
            assertEquals(before, footprint(), "after a failure at " + step);
            faults.failAfter = null;
            // Nothing was left behind: the same person sells now (no claim, no cap consumed).
            submit("pub-1", lead).then().statusCode(201).body("status", equalTo("SOLD"));
        }
    }

    @Test
    void aStatementThatOutlivesTheTransactionTimeoutRollsBack() {
        ThirdParties.buyer(A, 1, "12.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        // Hold the buyer's usage row so the reservation waits past the 5 s budget... shortened for the test.
        try (var c = connect()) {
            c.setAutoCommit(false);
            c.createStatement().execute("insert into buyer_usage values ('" + A + "', current_date, 0, 0, date_trunc('month', current_date), 0) on conflict do nothing");
            c.commit();
            c.createStatement().execute("select * from buyer_usage where buyer_id = '" + A + "' for update");
            String before = settledFootprint();
            long start = System.nanoTime();
            submit("pub-1", lead()).then().statusCode(503).header("Retry-After", "1")
                    .contentType("application/problem+json").body(not(containsString("57014")));
            assertEquals(true, (System.nanoTime() - start) / 1_000_000 < 20_000);
            c.rollback();
            assertEquals(before, footprint());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noEligibleBuyerLeavesTheLeadUnsold() {
        ThirdParties.buyer(A, 1, "12.00", 0, List.of("NY"), List.of(), null, null, null, "solar");
        ThirdParties.buyer(B, 2, "12.00", 0, List.of("CA"), List.of(), null, null, null, "roofing");
        String id = submit("pub-1", lead()).then().statusCode(201).body("status", equalTo("UNSOLD")).extract().path("id");
        admin().get("/v1/leads/" + id + "/auction").then().body("decidingRule", equalTo("NO_ELIGIBLE_BUYER"))
                .body("bids", hasSize(0));
        assertEquals(0, count("select count(*) from delivery where lead_id = ?::uuid", id));
    }
}
