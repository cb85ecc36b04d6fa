package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.admin;
import static com.nova.auction.AuctionFixtures.newBuyerId;
import static com.nova.auction.AuctionFixtures.count;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.kit.testing.TestRequests.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Real-time bidding on pings, against live bidders' endpoints served over HTTP: every live bidder
 * is asked at once with the anonymous data, its answer counts only when it is a timely, well-formed
 * bid at or above its floor, static and live bids compete in one auction, the post sells at the
 * pinged live bid, every answer is on the auction record, and a failing endpoint is skipped.
 */
@QuarkusTest
@AuctionServiceTest
class LiveBidsTest extends AuctionTestBase {

    static Map<String, Object> ping(String vertical) {
        Map<String, Object> ping = new HashMap<>();
        ping.put("vertical", vertical);
        ping.put("zip", "94105");
        ping.put("state", "CA");
        return ping;
    }

    @Test
    void staticAndLiveBidsCompeteAndEveryAnswerIsKeptWithItsReason() {
        String staticBuyer = newBuyerId();
        String winner = newBuyerId();
        String noBid = newBuyerId();
        String threeDecimals = newBuyerId();
        String belowFloor = newBuyerId();
        String failing = newBuyerId();
        String notJson = newBuyerId();
        String number = newBuyerId();
        ThirdParties.buyer(staticBuyer, 1, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.liveBidder(winner, 2, "1.00", null, List.of("CA"), "solar");
        ThirdParties.BIDDER_ANSWER.put(winner, "{\"bid\":\"55.10\"}");
        ThirdParties.liveBidder(noBid, 3, "99.00", null, List.of("CA"), "solar"); // its static bid does not count on a ping
        ThirdParties.liveBidder(threeDecimals, 4, "1.00", null, List.of("CA"), "solar");
        ThirdParties.BIDDER_ANSWER.put(threeDecimals, "{\"bid\":\"60.005\"}");
        ThirdParties.liveBidder(belowFloor, 5, "1.00", "35.00", List.of("CA"), "solar");
        ThirdParties.BIDDER_ANSWER.put(belowFloor, "{\"bid\":\"34.99\"}");
        ThirdParties.liveBidder(failing, 6, "1.00", null, List.of("CA"), "solar");
        ThirdParties.BIDDER_STATUS.put(failing, 503);
        ThirdParties.BIDDER_ANSWER.put(failing, "{\"bid\":\"99.00\"}");
        ThirdParties.liveBidder(notJson, 7, "1.00", null, List.of("CA"), "solar");
        ThirdParties.BIDDER_ANSWER.put(notJson, "bid=70");
        ThirdParties.liveBidder(number, 8, "1.00", null, List.of("CA"), "solar");
        ThirdParties.BIDDER_ANSWER.put(number, "{\"bid\":48.2}");

        String pingId = PingPostTest.ping("pub-live-1", ping("solar")).then().statusCode(201)
                .body("price", equalTo("38.57")) // 55.10 x 0.70, half-even to the cent
                .body("mode", equalTo("exclusive"))
                .body(not(org.hamcrest.Matchers.containsString(winner)))
                .extract().path("pingId");

        // Each live bidder was asked once, with its own credential and the anonymous data only.
        Set<String> live = Set.of(winner, noBid, threeDecimals, belowFloor, failing, notJson, number);
        for (String b : live) {
            assertEquals(1, ThirdParties.bidderCalls(b), b);
        }
        assertEquals(0, ThirdParties.bidderCalls(staticBuyer));
        for (ThirdParties.Post asked : ThirdParties.BIDDER_REQUESTS) {
            assertEquals("bid-key-" + asked.buyerId(), asked.authorization());
            JsonNode body = asked.body();
            assertEquals(Set.of("pingId", "vertical", "zip", "state", "deadlineMs"), fields(body));
            assertEquals(pingId, body.path("pingId").asText());
            assertEquals("94105", body.path("zip").asText());
        }

        // The post sells to the live winner at its live bid.
        String leadId = submit("pub-live-1", PingPostTest.postOf(pingId)).then().statusCode(201)
                .body("status", equalTo("SOLD")).body("buyerId", equalTo(winner)).body("price", equalTo("55.10"))
                .extract().path("id");
        assertEquals("38.57", com.nova.auction.AuctionFixtures.text("select payout::text from revenue_entry where lead_id = ?::uuid", leadId));
        JsonPath auction = admin().get("/v1/leads/" + leadId + "/auction").then().statusCode(200)
                .body("decidingRule", equalTo("PING_WINNER")).extract().jsonPath();
        Map<String, String> reasons = new HashMap<>();
        for (int i = 0; i < auction.getList("liveBids").size(); i++) {
            reasons.put(auction.getString("liveBids[" + i + "].buyerId"), auction.getString("liveBids[" + i + "].reason"));
        }
        assertEquals(Map.of(winner, "BID", noBid, "NO_BID", threeDecimals, "MALFORMED", belowFloor, "BELOW_FLOOR",
                failing, "ERROR", notJson, "MALFORMED", number, "BID"), reasons);
        Map<String, String> outcomes = new HashMap<>();
        for (int i = 0; i < auction.getList("bids").size(); i++) {
            outcomes.put(auction.getString("bids[" + i + "].buyerId"), auction.getString("bids[" + i + "].outcome"));
        }
        assertEquals("WON", outcomes.get(winner));
        assertEquals("BELOW_PING_PRICE", outcomes.get(number)); // 48.20 does not cover the pinged 55.10
        assertEquals("NO_LIVE_BID", outcomes.get(noBid));
        assertEquals("NO_LIVE_BID", outcomes.get(failing));
        assertEquals("BELOW_PING_PRICE", outcomes.get(staticBuyer));

        // A buyer sees its own answer only, and not who won.
        as(number, "buyer").get("/v1/leads/" + leadId + "/auction/mine").then().statusCode(200)
                .body("liveBids", hasSize(1)).body("liveBids[0].bid", equalTo("48.20")).body("liveBids[0].reason", equalTo("BID"))
                .body("bids", hasSize(1)).body("bids[0].outcome", equalTo("BELOW_PING_PRICE"))
                .body("$", not(org.hamcrest.Matchers.hasKey("winnerId")));
        as(belowFloor, "buyer").get("/v1/leads/" + leadId + "/auction/mine").then().statusCode(200)
                .body("liveBids[0].reason", equalTo("BELOW_FLOOR")).body("liveBids[0].bid", equalTo("34.99"));
    }

    @Test
    void aBidAfterTheDeadlineDoesNotCountAndThePostGoesToTheBidThatDid() {
        // roofing pings wait 100 ms (the test profile); this bidder answers a far better bid after 1.5 s.
        String slow = newBuyerId();
        String staticBuyer = newBuyerId();
        ThirdParties.buyer(staticBuyer, 1, "20.00", 0, List.of("CA"), List.of(), null, null, null, "roofing");
        ThirdParties.liveBidder(slow, 2, "1.00", null, List.of("CA"), "roofing");
        ThirdParties.BIDDER_ANSWER.put(slow, "{\"bid\":\"90.00\"}");
        ThirdParties.BIDDER_DELAY_MS.put(slow, 1_500);
        String pingId = PingPostTest.ping("pub-live-2", ping("roofing")).then().statusCode(201)
                .body("price", equalTo("14.00")).extract().path("pingId");
        assertEquals("LATE", reasonOf(pingId, slow));
        assertTrue(liveBids("late") >= 1, "counted in auction_live_bids_total{reason=late}");
        assertTrue(count("select (a->>'latencyMs')::int from lead_ping, jsonb_array_elements(live_bids) a where id = ?::uuid",
                pingId) >= 100, "late means the deadline passed");

        Map<String, Object> post = PingPostTest.postOf(pingId);
        post.put("vertical", "roofing");
        String leadId = submit("pub-live-2", post).then().statusCode(201).body("buyerId", equalTo(staticBuyer))
                .body("price", equalTo("20.00")).extract().path("id");
        admin().get("/v1/leads/" + leadId + "/auction").then().statusCode(200)
                .body("bids.find { it.buyerId == '" + slow + "' }.outcome", equalTo("NO_LIVE_BID"))
                .body("liveBids[0].reason", equalTo("LATE"));
    }

    @Test
    void aBidderThatKeepsFailingIsSkippedUntilItsBreakerLetsOnePingTryAgain() {
        String broken = newBuyerId();
        ThirdParties.liveBidder(broken, 1, "1.00", null, List.of("CA"), "solar");
        ThirdParties.BIDDER_STATUS.put(broken, 500);
        for (int i = 0; i < 5; i++) {
            String pingId = PingPostTest.ping("pub-live-3", ping("solar")).then().statusCode(201).extract().path("pingId");
            assertEquals("ERROR", reasonOf(pingId, broken));
        }
        assertEquals(5, ThirdParties.bidderCalls(broken));
        // Five failures in a row: the next pings do not ask it at all.
        String skipped = PingPostTest.ping("pub-live-3", ping("solar")).then().statusCode(201).extract().path("pingId");
        assertEquals("BREAKER_OPEN", reasonOf(skipped, broken));
        assertTrue(liveBids("breaker_open") >= 1, "counted in auction_live_bids_total{reason=breaker_open}");
        assertEquals(5, ThirdParties.bidderCalls(broken));

        // Mended; once the breaker's time is up (5 s here) one ping tries it, and its bid counts again.
        ThirdParties.BIDDER_STATUS.remove(broken);
        ThirdParties.BIDDER_ANSWER.put(broken, "{\"bid\":\"12.00\"}");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String pingId = PingPostTest.ping("pub-live-3", ping("solar")).then().statusCode(201).extract().path("pingId");
            return !"BREAKER_OPEN".equals(reasonOf(pingId, broken));
        });
        assertEquals(6, ThirdParties.bidderCalls(broken));
        PingPostTest.ping("pub-live-3", ping("solar")).then().statusCode(201).body("price", equalTo("8.40"));
        assertEquals(7, ThirdParties.bidderCalls(broken), "closed again: asked on every ping");
    }

    @Test
    void anEndpointReadSlowerThanTheDeadlineIsKeptForTheNextPingAndDoesNotChargeTheBreaker() {
        // roofing pings wait 100 ms; buyer-registry takes 400 ms to give this bidder's endpoint.
        String bidder = newBuyerId();
        ObjectNode live = ThirdParties.liveBidder(bidder, 1, "1.00", null, List.of("CA"), "roofing");
        ThirdParties.BIDDER_ANSWER.put(bidder, "{\"bid\":\"30.00\"}");
        ThirdParties.PING_ENDPOINT_DELAY_MS.put(bidder, 400);
        String first = PingPostTest.ping("pub-live-6", ping("roofing")).then().statusCode(201).extract().path("pingId");
        assertEquals("LATE", reasonOf(first, bidder));
        assertEquals(0, ThirdParties.bidderCalls(bidder), "not asked: its endpoint was not there in time");
        // The read went on after the ping gave up on it: the next ping finds the endpoint and gets the bid.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String pingId = PingPostTest.ping("pub-live-6", ping("roofing")).then().statusCode(201).extract().path("pingId");
            return "BID".equals(reasonOf(pingId, bidder));
        });
        assertEquals(1, ThirdParties.pingEndpointReads(bidder), "one read served every ping");

        // Six pings in a row whose endpoint read is late (a new version each: read again) do not open its breaker.
        for (int version = 2; version <= 7; version++) {
            live.put("version", version);
            eligible.invalidate();
            String pingId = PingPostTest.ping("pub-live-6", ping("roofing")).then().statusCode(201).extract().path("pingId");
            assertEquals("LATE", reasonOf(pingId, bidder));
        }
        // Nor do six whose read ends inside the deadline but leaves the bidder less than half of it (70 of 100 ms).
        ThirdParties.PING_ENDPOINT_DELAY_MS.put(bidder, 70);
        ThirdParties.BIDDER_DELAY_MS.put(bidder, 300);
        for (int version = 8; version <= 13; version++) {
            live.put("version", version);
            eligible.invalidate();
            String pingId = PingPostTest.ping("pub-live-6", ping("roofing")).then().statusCode(201).extract().path("pingId");
            assertEquals("LATE", reasonOf(pingId, bidder));
        }
        ThirdParties.PING_ENDPOINT_DELAY_MS.remove(bidder);
        ThirdParties.BIDDER_DELAY_MS.remove(bidder);
        live.put("version", 14);
        eligible.invalidate();
        String after = PingPostTest.ping("pub-live-6", ping("roofing")).then().statusCode(201).extract().path("pingId");
        assertEquals("BID", reasonOf(after, bidder), "asked at once: no breaker was opened for the registry's slowness");
    }

    @Test
    void anEndpointPastHalfItsTtlIsReadAgainInTheBackgroundWhileTheOldOneServes() {
        // roofing pings wait 100 ms; once the endpoint is cached, buyer-registry takes 400 ms to give it.
        String bidder = newBuyerId();
        ThirdParties.liveBidder(bidder, 1, "1.00", null, List.of("CA"), "roofing");
        ThirdParties.BIDDER_ANSWER.put(bidder, "{\"bid\":\"30.00\"}");
        String first = PingPostTest.ping("pub-live-7", ping("roofing")).then().statusCode(201).extract().path("pingId");
        assertEquals("BID", reasonOf(first, bidder));
        assertEquals(1, ThirdParties.pingEndpointReads(bidder));
        ThirdParties.PING_ENDPOINT_DELAY_MS.put(bidder, 400);

        // 45 s on (the TTL is 60 s): the ping is answered from the cached endpoint; had it waited for the read it would be LATE.
        clock.advance(Duration.ofSeconds(45));
        String aged = PingPostTest.ping("pub-live-7", ping("roofing")).then().statusCode(201).extract().path("pingId");
        assertEquals("BID", reasonOf(aged, bidder));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ThirdParties.pingEndpointAnswers(bidder) == 2);
        // 65 s after the first read, 20 s after the one in the background: without that read the endpoint would have
        // expired (and this ping gone LATE waiting for it); it is fresh, so nothing is read either.
        clock.advance(Duration.ofSeconds(20));
        String again = PingPostTest.ping("pub-live-7", ping("roofing")).then().statusCode(201).extract().path("pingId");
        assertEquals("BID", reasonOf(again, bidder));
        assertEquals(2, ThirdParties.pingEndpointReads(bidder), "fresh: not read again");

        // A bidder nobody pinged for a whole TTL is read on the ping's time (and this one's read is slower than its deadline).
        clock.advance(Duration.ofSeconds(61));
        String expired = PingPostTest.ping("pub-live-7", ping("roofing")).then().statusCode(201).extract().path("pingId");
        assertEquals("LATE", reasonOf(expired, bidder));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ThirdParties.pingEndpointReads(bidder) == 3);
    }

    @Test
    void aBuyerWhoseEndpointIsGoneIsNotCountedAndNotAsked() {
        String gone = newBuyerId();
        ThirdParties.liveBidder(gone, 1, "1.00", null, List.of("CA"), "solar");
        ThirdParties.NO_PING_ENDPOINT.add(gone); // listed as live, but buyer-registry answers 404 for its endpoint
        String pingId = PingPostTest.ping("pub-live-4", ping("solar")).then().statusCode(201)
                .body("price", org.hamcrest.Matchers.nullValue()).extract().path("pingId");
        assertEquals("NO_ENDPOINT", reasonOf(pingId, gone));
        assertEquals(0, ThirdParties.bidderCalls(gone));
    }

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    private double liveBids(String reason) {
        return meters.find("auction_live_bids_total").tag("reason", reason).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void aDirectPostSellsToALiveBidderAtItsStaticBidWithoutAskingIt() {
        String live = newBuyerId();
        ThirdParties.liveBidder(live, 1, "44.00", null, List.of("CA"), "solar");
        ThirdParties.BIDDER_ANSWER.put(live, "{\"bid\":\"90.00\"}");
        submit("pub-live-5", com.nova.auction.AuctionFixtures.lead()).then().statusCode(201).body("buyerId", equalTo(live))
                .body("price", equalTo("44.00"));
        assertEquals(0, ThirdParties.bidderCalls(live));
    }

    private static String reasonOf(String pingId, String buyerId) {
        return com.nova.auction.AuctionFixtures.text(
                "select a->>'reason' from lead_ping, jsonb_array_elements(live_bids) a where id = ?::uuid and a->>'buyerId' = ?",
                pingId, buyerId);
    }

    private static Set<String> fields(JsonNode body) {
        Set<String> names = new java.util.HashSet<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
