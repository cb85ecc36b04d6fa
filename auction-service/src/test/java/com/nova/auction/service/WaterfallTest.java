package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.admin;
import static com.nova.auction.AuctionFixtures.newBuyerId;
import static com.nova.auction.AuctionFixtures.bidOutcomes;
import static com.nova.auction.AuctionFixtures.count;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.auction.AuctionFixtures.text;
import static com.nova.kit.testing.TestRequests.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The waterfall, against post-accept buyers' endpoints served over HTTP: offered in rank order until
 * one accepts, only the accepting buyer billed, each rejecting buyer's cap and budget given back,
 * every offer on the auction record.
 */
@QuarkusTest
@AuctionServiceTest
class WaterfallTest extends AuctionTestBase {

    static ObjectNode postAccept(String id, long seq, String bid, Integer dailyCap, String dailyBudget) {
        ObjectNode b = ThirdParties.buyer(id, seq, bid, 0, List.of("CA"), List.of(), dailyCap, null, dailyBudget, "solar");
        b.put("acceptMode", "post-accept");
        return b;
    }

    @Test
    void theFirstBuyerRejectsTheSecondAcceptsAndOnlyItIsBilled() {
        String first = newBuyerId();
        String second = newBuyerId();
        String auto = newBuyerId();
        postAccept(first, 1, "50.00", 1, "50.00");
        postAccept(second, 2, "45.00", null, null);
        ThirdParties.buyer(auto, 3, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        // A control character in the reason (which PostgreSQL's JSON refuses) is dropped, not a 500.
        ThirdParties.BUYER_ANSWER.put(first, "{\"accepted\":false,\"reason\":\"outside our\\u0000 hours\"}");

        String leadId = submit("pub-fall-1", lead()).then().statusCode(201).body("status", equalTo("SOLD"))
                .body("buyerId", equalTo(second)).body("price", equalTo("45.00")).extract().path("id");
        // Both were offered the full lead, in rank order, each at its own price; the acceptor's post was its delivery.
        List<ThirdParties.Post> posts = ThirdParties.postsFor(leadId);
        assertEquals(List.of(first, second), posts.stream().map(ThirdParties.Post::buyerId).toList());
        assertEquals("50.00", posts.get(0).body().path("price").asText());
        assertTrue(posts.get(0).body().path("acceptRequired").asBoolean());
        assertTrue(posts.get(0).body().has("email"));
        assertEquals("DELIVERED", text("select status from delivery where lead_id = ?::uuid", leadId));
        assertEquals(0, count("select count(*) from outbox where envelope like ?", "%" + leadId + "%"),
                "no later delivery: the accepted offer was it");
        // Only the acceptor is billed; the rejecting buyer's cap and budget are as they were.
        assertEquals(1, count("select count(*) from revenue_entry where lead_id = ?::uuid", leadId));
        assertEquals(second, text("select buyer_id::text from revenue_entry where lead_id = ?::uuid", leadId));
        assertEquals(0, count("select count(*) from buyer_usage where buyer_id = ?::uuid and day_leads > 0", first));
        assertEquals(1, count("select day_leads from buyer_usage where buyer_id = ?::uuid", second));

        JsonPath auction = admin().get("/v1/leads/" + leadId + "/auction").then().statusCode(200)
                .body("decidingRule", equalTo("ACCEPTED_OFFER")).body("offers", hasSize(2))
                .body("offers[0].buyerId", equalTo(first)).body("offers[0].accepted", equalTo(false))
                .body("offers[0].reason", equalTo("outside our hours")).body("offers[0].price", equalTo("50.00"))
                .body("offers[1].buyerId", equalTo(second)).body("offers[1].accepted", equalTo(true))
                .extract().jsonPath();
        assertEquals("REJECTED_OFFER", auction.getString("bids.find { it.buyerId == '" + first + "' }.outcome"));
        assertEquals("WON", auction.getString("bids.find { it.buyerId == '" + second + "' }.outcome"));
        as(first, "buyer").get("/v1/leads/" + leadId + "/auction/mine").then().statusCode(200)
                .body("offers", hasSize(1)).body("offers[0].reason", equalTo("outside our hours"));

        // The rejecting buyer's cap (one a day) was given back: it is offered the next lead, and takes it.
        ThirdParties.BUYER_ANSWER.remove(first);
        submit("pub-fall-1", lead()).then().statusCode(201).body("buyerId", equalTo(first));
        assertEquals(1, count("select day_leads from buyer_usage where buyer_id = ?::uuid", first));
    }

    @jakarta.inject.Inject
    TestLeadFaults faults;

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aRetryOfAPostWhoseDecisionFailedOffersTheLeadAgainUnderTheSameKey() {
        String buyer = newBuyerId();
        postAccept(buyer, 1, "50.00", null, null);
        double accepted = meters.find("auction_offers_total").tag("accepted", "true").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        java.util.Map<String, Object> lead = lead();
        String key = "fall-retry-" + UUID.randomUUID();
        // The buyer accepts, then the decision's transaction fails before it commits: nothing is stored.
        faults.failAfter = LeadFaults.Step.AUDITED;
        try {
            submit("pub-fall-5", key, lead).then().statusCode(500);
        } finally {
            faults.failAfter = null;
        }
        assertEquals(0, count("select count(*) from lead where publisher_id = 'pub-fall-5'"));
        // The publisher's retry offers it again with the same Idempotency-Key, which the buyer can recognise.
        submit("pub-fall-5", key, lead).then().statusCode(201).body("buyerId", equalTo(buyer));
        List<ThirdParties.Post> offers = ThirdParties.POSTS.stream().filter(p -> p.buyerId().equals(buyer)).toList();
        assertEquals(2, offers.size());
        assertEquals(offers.get(0).idempotencyKey(), offers.get(1).idempotencyKey());
        assertTrue(offers.get(0).idempotencyKey().startsWith("offer-"));
        assertEquals(accepted + 2, meters.find("auction_offers_total").tag("accepted", "true").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
    }

    @Test
    void anOfferRefusedForCredentialsThatChangedMeanwhileIsMadeAgainWithTheNewOnes() {
        String buyer = newBuyerId();
        postAccept(buyer, 1, "50.00", null, null);
        ThirdParties.BUYER_CHECKS_TOKEN.add(buyer);
        submit("pub-fall-6", "fall-creds-1-" + UUID.randomUUID(), lead()).then().statusCode(201).body("buyerId", equalTo(buyer));
        // The buyer rotated its token in buyer-registry; no buyers.events has reached this instance yet.
        ThirdParties.BUYER_TOKEN.put(buyer, "rotated-offer-token-" + buyer);
        String id = submit("pub-fall-6", "fall-creds-2-" + UUID.randomUUID(), lead()).then().statusCode(201)
                .body("buyerId", equalTo(buyer)).extract().path("id");
        List<ThirdParties.Post> offers = ThirdParties.POSTS.stream().filter(p -> p.buyerId().equals(buyer)).toList();
        assertEquals(List.of("Bearer buyer-token-" + buyer, "Bearer buyer-token-" + buyer, "Bearer rotated-offer-token-" + buyer),
                offers.stream().map(ThirdParties.Post::authorization).toList(), "the second lead's offer: refused (401), made again");
        assertEquals(offers.get(1).idempotencyKey(), offers.get(2).idempotencyKey(), "one offer, the same key");
        assertEquals("ACCEPTED_OFFER", text("select deciding_rule from auction where lead_id = ?::uuid", id));
    }

    @Test
    void anErrorStatusATimeoutAndAMalformedAnswerAreRejectionsAndAnAutoBuyerTakesTheRest() {
        String failing = newBuyerId();
        String slow = newBuyerId();
        String odd = newBuyerId();
        String auto = newBuyerId();
        postAccept(failing, 1, "60.00", null, null);
        postAccept(slow, 2, "55.00", null, null);
        postAccept(odd, 3, "52.00", null, null);
        ThirdParties.buyer(auto, 4, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.failBuyer(failing, 503);
        ThirdParties.BUYER_DELAY_MS.put(slow, 4_500); // the test profile's offer timeout is 3 s
        // (and kit.transaction-timeout 5 s: the decision's transaction idles through the wait, within its budget)
        ThirdParties.BUYER_ANSWER.put(odd, "{\"accepted\":\"yes\"}");
        String leadId = submit("pub-fall-2", lead()).then().statusCode(201).body("buyerId", equalTo(auto))
                .body("price", equalTo("10.00")).extract().path("id");
        JsonPath auction = admin().get("/v1/leads/" + leadId + "/auction").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("http-503", "timeout", "malformed-answer"), auction.getList("offers.reason"));
        assertEquals(Map.of(failing, "REJECTED_OFFER", slow, "REJECTED_OFFER", odd, "REJECTED_OFFER", auto, "WON"), bidOutcomes(auction));
        assertEquals(0, count("select count(*) from buyer_usage where buyer_id in (?::uuid, ?::uuid, ?::uuid) and day_leads > 0",
                failing, slow, odd));
    }

    @Test
    void aLeadNobodyAcceptsEndsUnsoldAndOffersStopAtTheirLimit() {
        List<String> buyers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String b = newBuyerId();
            buyers.add(b);
            postAccept(b, i + 1, (40 - i) + ".00", null, null);
            ThirdParties.BUYER_ANSWER.put(b, "{\"accepted\":false,\"reason\":\"full\"}");
        }
        String leadId = submit("pub-fall-3", lead()).then().statusCode(201).body("status", equalTo("UNSOLD"))
                .body("reason", equalTo("no-buyer-accepted")).extract().path("id");
        assertEquals(0, count("select count(*) from revenue_entry where lead_id = ?::uuid", leadId));
        assertEquals(0, count("select count(*) from delivery where lead_id = ?::uuid", leadId));
        JsonPath auction = admin().get("/v1/leads/" + leadId + "/auction").then().statusCode(200)
                .body("offers", hasSize(3)).extract().jsonPath();
        assertEquals("NOT_OFFERED", bidOutcomes(auction).get(buyers.get(3)), "three offers at most (the default)");
        assertEquals(3, ThirdParties.postsFor(leadId).size());
        assertEquals(0, count("select count(*) from buyer_usage where day_leads > 0"));
    }

    @Test
    void concurrentWaterfallsNeverGiveARejectingOrFullBuyerMoreThanItsCap() throws Exception {
        String picky = newBuyerId();
        String capped = newBuyerId();
        postAccept(picky, 1, "30.00", 2, null);
        postAccept(capped, 2, "20.00", 3, null);
        ThirdParties.BUYER_ANSWER.put(picky, "{\"accepted\":false,\"reason\":\"not today\"}");
        List<CompletableFuture<String>> posts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> submit("pub-fall-4", lead()).then().statusCode(201).extract().path("status")));
        }
        List<String> statuses = posts.stream().map(CompletableFuture::join).toList();
        assertEquals(3, statuses.stream().filter("SOLD"::equals).count(), statuses.toString());
        assertEquals(3, count("select count(*) from revenue_entry where buyer_id = ?::uuid", capped));
        assertEquals(0, count("select count(*) from revenue_entry where buyer_id = ?::uuid", picky));
        assertEquals(3, count("select day_leads from buyer_usage where buyer_id = ?::uuid", capped));
        assertEquals(0, count("select count(*) from buyer_usage where buyer_id = ?::uuid and day_leads > 0", picky),
                "every rejection gave its reservation back");
    }

}
