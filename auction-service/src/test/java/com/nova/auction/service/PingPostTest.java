package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.admin;
import static com.nova.auction.AuctionFixtures.bidOutcomes;
import static com.nova.auction.AuctionFixtures.count;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.kit.testing.TestRequests.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Ping/post through HTTP against the real database: a ping with anonymous data only is priced by
 * the same exclusions and ranking as an auction, and the post sells at no less than the pinged bid,
 * to the ping's winner first, once.
 */
@QuarkusTest
@AuctionServiceTest
class PingPostTest extends AuctionTestBase {

    static final String A = "aaaaaaaa-1111-4000-8000-00000000000a";
    static final String B = "bbbbbbbb-1111-4000-8000-00000000000b";
    static final String C = "cccccccc-1111-4000-8000-00000000000c";

    static Map<String, Object> ping() {
        Map<String, Object> ping = new HashMap<>();
        ping.put("vertical", "solar");
        ping.put("zip", "94105");
        ping.put("state", "CA");
        return ping;
    }

    static Response ping(String publisher, Map<String, Object> body) {
        return as(publisher, "publisher").header("Idempotency-Key", "ping-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(body).post("/v1/leads/ping");
    }

    static Map<String, Object> postOf(String pingId) {
        return leadWith("pingId", pingId);
    }

    static Map<String, Object> leadWith(String key, Object value) {
        Map<String, Object> lead = lead();
        lead.put(key, value);
        return lead;
    }

    @Test
    void aPingCarriesNoIdentifyingFieldAndNamesTheOneItGot() {
        for (String field : List.of("firstName", "lastName", "email", "phone", "address", "trustedFormCertUrl", "comments")) {
            Map<String, Object> body = ping();
            body.put(field, "x@example.com");
            ping("pub-ping", body).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(field));
        }
        ping("pub-ping", Map.of("vertical", "solar", "zip", "9410", "state", "CA")).then().statusCode(400);
        ping("pub-ping", Map.of("vertical", "knitting", "zip", "94105", "state", "CA")).then().statusCode(400);
        as("pub-ping", "publisher").contentType(ContentType.JSON).body(ping()).post("/v1/leads/ping").then().statusCode(400);
        as("buyer-1", "buyer").header("Idempotency-Key", "ping-as-buyer-1").contentType(ContentType.JSON).body(ping())
                .post("/v1/leads/ping").then().statusCode(403);
        assertEquals(0, count("select count(*) from lead_ping where publisher_id = 'pub-ping'"));
    }

    @Test
    void aPingIsPricedByTheBestBidTheBuyersStayHiddenAndTheKeyReplaysIt() {
        ThirdParties.buyer(A, 1, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.buyer(B, 2, "55.10", 0, List.of("CA"), List.of("90"), null, null, null, "solar"); // not this ZIP
        ThirdParties.buyer(C, 3, "48.30", 0, List.of("CA"), List.of(), 0, null, null, "solar"); // no cap left
        String key = "ping-" + UUID.randomUUID();
        Response first = as("pub-1", "publisher").header("Idempotency-Key", key).contentType(ContentType.JSON).body(ping())
                .post("/v1/leads/ping");
        // 40.00 x 0.70 publisher share
        first.then().statusCode(201).body("price", equalTo("28.00")).body("mode", equalTo("exclusive"))
                .body("$", not(org.hamcrest.Matchers.hasKey("buyerId"))).body(not(org.hamcrest.Matchers.containsString(A)));
        String pingId = first.jsonPath().getString("pingId");
        as("pub-1", "publisher").header("Idempotency-Key", key).contentType(ContentType.JSON).body(ping()).post("/v1/leads/ping")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("pingId", equalTo(pingId));
        Map<String, Object> other = ping();
        other.put("zip", "90210");
        as("pub-1", "publisher").header("Idempotency-Key", key).contentType(ContentType.JSON).body(other).post("/v1/leads/ping")
                .then().statusCode(422);
        // Nobody bids on another state: price null, and such a ping cannot be posted.
        Map<String, Object> texas = ping();
        texas.put("state", "TX");
        texas.put("zip", "75001");
        String unpriced = ping("pub-1", texas).then().statusCode(201).body("price", nullValue()).body("mode", nullValue())
                .extract().path("pingId");
        Map<String, Object> post = postOf(unpriced);
        post.put("state", "TX");
        post.put("zip", "75001");
        submit("pub-1", post).then().statusCode(422).body("type", equalTo("urn:nova:problem:ping-not-priced"));
    }

    @Test
    void thePostSellsToThePingsWinnerAtItsBidEvenWhenABetterBidArrivedMeanwhile() {
        ThirdParties.buyer(A, 1, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String pingId = ping("pub-2", ping()).then().statusCode(201).extract().path("pingId");
        // A richer buyer registers after the ping: the ping's winner still gets the lead it won.
        ThirdParties.buyer(B, 2, "70.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        eligible.invalidate();
        String id = submit("pub-2", postOf(pingId)).then().statusCode(201).body("status", equalTo("SOLD"))
                .body("buyerId", equalTo(A)).body("price", equalTo("40.00")).extract().path("id");
        JsonPath auction = admin().get("/v1/leads/" + id + "/auction").then().statusCode(200)
                .body("decidingRule", equalTo("PING_WINNER")).extract().jsonPath();
        assertEquals(Map.of(A, "WON", B, "LOST_TO_PING_WINNER"), bidOutcomes(auction));
        assertEquals("28.00", com.nova.auction.AuctionFixtures.text("select payout::text from revenue_entry where lead_id = ?::uuid", id));
        assertEquals(id, com.nova.auction.AuctionFixtures.text("select lead_id::text from lead_ping where id = ?::uuid", pingId));
    }

    @Test
    void whenThePingsWinnerCannotTakeItTheNextBidThatCoversThePriceDoesAndBelowItNobody() {
        // A and B bid the same; A registered first, so A wins both pings. A may take one lead a day.
        ThirdParties.buyer(A, 1, "40.00", 0, List.of("CA"), List.of(), 1, null, null, "solar");
        ThirdParties.buyer(B, 2, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.buyer(C, 3, "39.99", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String first = ping("pub-3", ping()).then().statusCode(201).body("price", equalTo("28.00")).extract().path("pingId");
        String second = ping("pub-3", ping()).then().statusCode(201).body("price", equalTo("28.00")).extract().path("pingId");
        submit("pub-3", postOf(first)).then().statusCode(201).body("buyerId", equalTo(A));
        // A is full: B's bid covers the pinged 40.00 and takes it; C's 39.99 does not.
        String id = submit("pub-3", postOf(second)).then().statusCode(201).body("buyerId", equalTo(B))
                .body("price", equalTo("40.00")).extract().path("id");
        JsonPath auction = admin().get("/v1/leads/" + id + "/auction").then().statusCode(200)
                .body("decidingRule", equalTo("ONLY_BIDDER")).extract().jsonPath();
        assertEquals(Map.of(A, "OVER_DAILY_CAP", B, "WON", C, "BELOW_PING_PRICE"), bidOutcomes(auction));

        // A third ping, won by B at 40.00; B then has no room either: nobody left covers the price.
        String third = ping("pub-3", ping()).then().statusCode(201).body("price", equalTo("28.00")).extract().path("pingId");
        ThirdParties.buyer(B, 2, "40.00", 0, List.of("CA"), List.of(), 1, null, null, "solar");
        eligible.invalidate();
        long sales = count("select count(*) from revenue_entry where publisher_id = 'pub-3'");
        String unsold = submit("pub-3", postOf(third)).then().statusCode(201).body("status", equalTo("UNSOLD"))
                .body("reason", equalTo("ping-price-not-covered")).body("buyerId", nullValue()).extract().path("id");
        assertEquals(sales, count("select count(*) from revenue_entry where publisher_id = 'pub-3'"), "nothing charged");
        assertEquals(Map.of(A, "OVER_DAILY_CAP", B, "OVER_DAILY_CAP", C, "BELOW_PING_PRICE"),
                bidOutcomes(admin().get("/v1/leads/" + unsold + "/auction").then().statusCode(200).extract().jsonPath()));
    }

    @Test
    void thePostMustBeThePingedLeadAndAPingIsUsedOnceAndExpires() {
        ThirdParties.buyer(A, 1, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String pingId = ping("pub-4", ping()).then().statusCode(201).extract().path("pingId");
        submit("pub-4", postOf(pingId)).then().statusCode(201).body("status", equalTo("SOLD"));
        // Another ZIP (in the same state): 422 naming it; another publisher's ping does not exist for this one.
        String second = ping("pub-4", ping()).then().statusCode(201).extract().path("pingId");
        Map<String, Object> elsewhere = postOf(second);
        elsewhere.put("zip", "90210");
        submit("pub-4", elsewhere).then().statusCode(422).body("type", equalTo("urn:nova:problem:ping-mismatch"))
                .body("detail", org.hamcrest.Matchers.containsString("zip"));
        submit("pub-other", postOf(second)).then().statusCode(400).body("errors[0].field", equalTo("pingId"));
        submit("pub-4", postOf(UUID.randomUUID().toString())).then().statusCode(400);

        // Used once: the first post sells; a retry of that post replays it; another post with the ping is a 409.
        String key = "post-" + UUID.randomUUID();
        Map<String, Object> post = postOf(second);
        String id = submit("pub-4", key, post).then().statusCode(201).body("status", equalTo("SOLD")).extract().path("id");
        submit("pub-4", key, post).then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        submit("pub-4", postOf(second)).then().statusCode(409).body("type", equalTo("urn:nova:problem:ping-used"));

        // Expired: past its time the ping sells nothing.
        String third = ping("pub-4", ping()).then().statusCode(201).extract().path("pingId");
        clock.advance(Duration.ofSeconds(61));
        submit("pub-4", postOf(third)).then().statusCode(422).body("type", equalTo("urn:nova:problem:ping-expired"));
        assertEquals(2, count("select count(*) from lead_ping where publisher_id = 'pub-4' and lead_id is not null"));
        submit("pub-4", leadWith("pingId", "")).then().statusCode(400).body("errors[0].field", equalTo("pingId"));
    }

    @Test
    void manyPostsOfOnePingAtOnceSellOneLead() throws Exception {
        ThirdParties.buyer(A, 1, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String pingId = ping("pub-5", ping()).then().statusCode(201).extract().path("pingId");
        List<CompletableFuture<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> submit("pub-5", postOf(pingId)).statusCode()));
        }
        List<Integer> statuses = posts.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 409), statuses.toString());
        assertEquals(1, count("select count(*) from lead l join lead_ping p on p.lead_id = l.id where p.id = ?::uuid", pingId));
        assertEquals(1, count("select count(*) from lead where publisher_id = 'pub-5'"), "the refused posts stored nothing");
        assertEquals(1, count("select count(*) from revenue_entry where publisher_id = 'pub-5'"));
    }

    @Test
    void aPostRefusedBeforeItsAuctionLeavesThePingToAnotherPostAndExpiryHasNoGrace() {
        ThirdParties.buyer(A, 1, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        // The same person again: 409 duplicate, and the ping is still free.
        Map<String, Object> person = lead();
        submit("pub-6", person).then().statusCode(201);
        String pingId = ping("pub-6", ping()).then().statusCode(201).extract().path("pingId");
        Map<String, Object> again = new HashMap<>(person);
        again.put("pingId", pingId);
        submit("pub-6", again).then().statusCode(409).body("type", equalTo("urn:nova:problem:duplicate-lead"));
        // TrustedForm down (the default policy holds leads): a pinged post answers 503 and stores nothing.
        ThirdParties.tfStatus = 503;
        String key = "post-" + UUID.randomUUID();
        Map<String, Object> post = postOf(pingId);
        submit("pub-6", key, post).then().statusCode(503).body("type", equalTo("urn:nova:problem:try-again"));
        assertEquals(0, count("select count(*) from lead where publisher_id = 'pub-6' and idempotency_key = ?", key));
        assertEquals(0, count("select count(*) from lead_ping where id = ?::uuid and lead_id is not null", pingId));
        ThirdParties.tfStatus = 0;
        submit("pub-6", key, post).then().statusCode(201).body("status", equalTo("SOLD")).body("buyerId", equalTo(A));

        // Past its time a ping is refused, also to a post that tried in time and failed.
        String late = ping("pub-6", ping()).then().statusCode(201).extract().path("pingId");
        ThirdParties.tfStatus = 503;
        String lateKey = "post-" + UUID.randomUUID();
        Map<String, Object> latePost = postOf(late);
        submit("pub-6", lateKey, latePost).then().statusCode(503);
        ThirdParties.tfStatus = 0;
        clock.advance(Duration.ofSeconds(61));
        submit("pub-6", lateKey, latePost).then().statusCode(422).body("type", equalTo("urn:nova:problem:ping-expired"));
    }


}
