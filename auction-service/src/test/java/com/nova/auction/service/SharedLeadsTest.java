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
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.EventPublisher;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Exclusive or shared, through HTTP against the real database and Redis: the mode by the documented
 * rule, each sharing buyer delivered to and billed separately, a return by one sharer reversing its
 * sale only, caps holding under concurrent shared sales, and shared pings.
 */
@QuarkusTest
@AuctionServiceTest
class SharedLeadsTest extends AuctionTestBase {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    EventPublisher publisher;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aLeadGoesSharedWhenTheSharedBidsComeToMoreAndEachBuyerIsDeliveredAndBilledAlone() {
        String a = newBuyerId();
        String b = newBuyerId();
        String c = newBuyerId();
        String d = newBuyerId();
        String e = newBuyerId();
        ThirdParties.sharer(a, 1, "30.00", "12.00", null, "solar");
        ThirdParties.sharer(b, 2, "25.00", "11.00", null, "solar");
        ThirdParties.sharer(c, 3, "20.00", "10.00", null, "solar");
        ThirdParties.sharer(e, 4, "19.00", "9.99", null, "solar"); // fourth best shared bid: three may share
        ThirdParties.buyer(d, 5, "32.99", 0, List.of("CA"), List.of(), null, null, null, "solar");

        // 12.00 + 11.00 + 10.00 = 33.00 > 32.99: shared, each at its own shared bid.
        String leadId = submit("pub-share-1", lead()).then().statusCode(201).body("status", equalTo("SOLD"))
                .body("mode", equalTo("shared")).body("price", equalTo("33.00")).body("$", not(org.hamcrest.Matchers.hasKey("buyerId")))
                .extract().path("id");
        assertEquals("12.00|8.40|3.60", sale(leadId, a));
        assertEquals("11.00|7.70|3.30", sale(leadId, b));
        assertEquals("10.00|7.00|3.00", sale(leadId, c));
        assertEquals(3, count("select count(*) from revenue_entry where lead_id = ?::uuid", leadId));
        assertEquals("33.00|23.10|9.90", text(
                "select sum(price) || '|' || sum(payout) || '|' || sum(margin) from revenue_entry where lead_id = ?::uuid", leadId));

        JsonPath auction = admin().get("/v1/leads/" + leadId + "/auction").then().statusCode(200)
                .body("decidingRule", equalTo("SHARED")).body("price", equalTo("33.00")).body("winnerId", nullValue())
                .extract().jsonPath();
        assertEquals(Map.of(a, "WON_SHARED", b, "WON_SHARED", c, "WON_SHARED", e, "LOST_TO_SHARED", d, "LOST_TO_SHARED"),
                bidOutcomes(auction));
        as(b, "buyer").get("/v1/leads/" + leadId + "/auction/mine").then().statusCode(200)
                .body("bids", hasSize(1)).body("bids[0].sharedBid", equalTo("11.00")).body("bids[0].outcome", equalTo("WON_SHARED"));

        // Each sharer gets the lead once, at its own price, with the lead id as its Idempotency-Key.
        Awaitility.await().atMost(WAIT).until(() -> ThirdParties.postsFor(leadId).size() == 3);
        Map<String, String> prices = ThirdParties.postsFor(leadId).stream()
                .collect(Collectors.toMap(ThirdParties.Post::buyerId, p -> p.body().path("price").asText()));
        assertEquals(Map.of(a, "12.00", b, "11.00", c, "10.00"), prices);
        assertTrue(ThirdParties.postsFor(leadId).stream().allMatch(p -> leadId.equals(p.idempotencyKey())));
        Awaitility.await().atMost(WAIT).until(() -> count(
                "select count(*) from delivery where lead_id = ?::uuid and status = 'DELIVERED'", leadId) == 3);
        admin().get("/v1/leads/" + leadId).then().statusCode(200).body("mode", equalTo("shared")).body("sales", hasSize(3))
                .body("sales[0].buyerId", equalTo(a)).body("sales[0].price", equalTo("12.00"))
                .body("sales[0].delivery", equalTo("DELIVERED"));

        // The revenue report counts three sales of one lead, to the cent.
        String day = clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
        String next = clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(1).toString();
        admin().queryParam("from", day).queryParam("to", next).queryParam("groupBy", "buyer").get("/v1/reports/revenue").then()
                .statusCode(200).body("rows.find { it.key == '" + b + "' }.sales", equalTo(1))
                .body("rows.find { it.key == '" + b + "' }.price", equalTo("11.00"));
    }

    @Test
    void aTieGoesExclusiveAndAVerticalSetsHowManyMayShare() {
        String a = newBuyerId();
        String b = newBuyerId();
        String c = newBuyerId();
        String d = newBuyerId();
        ThirdParties.sharer(a, 1, "10.00", "11.00", null, "solar", "roofing");
        ThirdParties.sharer(b, 2, "10.00", "11.00", null, "solar", "roofing");
        ThirdParties.sharer(c, 3, "10.00", "11.00", null, "solar", "roofing");
        ThirdParties.buyer(d, 4, "33.00", 0, List.of("CA"), List.of(), null, null, null, "solar", "roofing");
        // solar: three share 33.00, the exclusive bid is 33.00 too: a tie goes exclusive.
        submit("pub-share-2", lead()).then().statusCode(201).body("mode", equalTo("exclusive")).body("buyerId", equalTo(d))
                .body("price", equalTo("33.00"));
        // roofing lets two share (22.00): exclusive at 33.00 is more.
        Map<String, Object> roofing = lead();
        roofing.put("vertical", "roofing");
        submit("pub-share-2", roofing).then().statusCode(201).body("mode", equalTo("exclusive")).body("buyerId", equalTo(d));
        // Without the exclusive bidder, two share roofing leads: the two registered first (equal shared bids).
        ThirdParties.BUYERS.remove(d);
        eligible.invalidate();
        Map<String, Object> another = lead();
        another.put("vertical", "roofing");
        String leadId = submit("pub-share-2", another).then().statusCode(201).body("mode", equalTo("shared"))
                .body("price", equalTo("22.00")).extract().path("id");
        assertEquals(Set.of(a, b), buyersOf(leadId));
    }

    @Test
    void aReturnByOneSharerReversesThatSaleOnlyAndGivesItsCapBack() {
        String a = newBuyerId();
        String b = newBuyerId();
        String outsider = newBuyerId();
        ThirdParties.sharer(a, 1, "5.00", "7.50", 1, "solar");
        ThirdParties.sharer(b, 2, "5.00", "7.25", 1, "solar");
        ThirdParties.buyer(outsider, 3, "1.00", 0, List.of("CA"), List.of(), null, null, null, "health_insurance");
        String leadId = submit("pub-share-3", lead()).then().statusCode(201).body("mode", equalTo("shared"))
                .body("price", equalTo("14.75")).extract().path("id");
        assertEquals(1, count("select day_leads from buyer_usage where buyer_id = ?::uuid", a));

        returned(b, leadId);
        Awaitility.await().atMost(WAIT).until(() -> count(
                "select count(*) from revenue_entry where lead_id = ?::uuid and kind = 'RETURN'", leadId) == 1);
        assertEquals("-7.25", text("select price::text from revenue_entry where lead_id = ?::uuid and kind = 'RETURN' and buyer_id = ?::uuid",
                leadId, b));
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", leadId), "A's sale stands");
        assertEquals(0, count("select day_leads from buyer_usage where buyer_id = ?::uuid", b), "B's cap came back");
        assertEquals(1, count("select day_leads from buyer_usage where buyer_id = ?::uuid", a));
        admin().get("/v1/leads/" + leadId).then().body("sales.find { it.buyerId == '" + b + "' }.returned", equalTo(true))
                .body("sales.find { it.buyerId == '" + a + "' }.returned", equalTo(false));

        // B again: refused; someone who bought none of it: refused without a row; A: the lead is now returned.
        String again = returned(b, leadId);
        Awaitility.await().atMost(WAIT).until(() -> count("select count(*) from lead_outcome where source_event_id = ?",
                "buyer:" + b + ":" + again) == 1);
        assertEquals("already-returned", text("select refusal from lead_outcome where source_event_id = ?", "buyer:" + b + ":" + again));
        double refusedBefore = notTheBuyerRefusals();
        returned(outsider, leadId);
        Awaitility.await().atMost(WAIT).until(() -> notTheBuyerRefusals() >= refusedBefore + 1);
        returned(a, leadId);
        Awaitility.await().atMost(WAIT).until(() -> "RETURNED".equals(text("select status from lead where id = ?::uuid", leadId)));
        assertEquals("0.00", text("select sum(price)::text from revenue_entry where lead_id = ?::uuid", leadId));
        assertEquals(0, count("select count(*) from lead_outcome where lead_id = ?::uuid and buyer_id = ?::uuid", leadId, outsider));
    }

    @Test
    void concurrentSharedSalesNeverExceedASharersCap() throws Exception {
        String a = newBuyerId();
        String b = newBuyerId();
        String c = newBuyerId();
        ThirdParties.sharer(a, 1, "1.00", "4.00", 4, "solar");
        ThirdParties.sharer(b, 2, "1.00", "3.00", 6, "solar");
        ThirdParties.sharer(c, 3, "1.00", "2.00", 8, "solar");
        List<CompletableFuture<String>> posts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> submit("pub-share-4", lead()).then().statusCode(201).extract().path("status")));
        }
        List<String> statuses = posts.stream().map(CompletableFuture::join).toList();
        Map<String, Long> sales = new HashMap<>();
        for (String buyer : List.of(a, b, c)) {
            long sold = count("select count(*) from revenue_entry where buyer_id = ?::uuid and kind = 'SALE'", buyer);
            sales.put(buyer, sold);
            assertEquals(sold, count("select day_leads from buyer_usage where buyer_id = ?::uuid", buyer), "the counter is the sales");
        }
        assertTrue(sales.get(a) <= 4 && sales.get(b) <= 6 && sales.get(c) <= 8, sales.toString());
        // Shared leads have two or three sales; a lead goes exclusive (one sale) only when fewer than two sharers had room.
        assertEquals(0, count("""
                select count(*) from lead l where l.publisher_id = 'pub-share-4' and l.status = 'SOLD'
                  and ((l.sale_mode = 'SHARED') <> ((select count(*) from revenue_entry r where r.lead_id = l.id and r.kind = 'SALE') between 2 and 3)
                       or (l.sale_mode = 'EXCLUSIVE') <> ((select count(*) from revenue_entry r where r.lead_id = l.id and r.kind = 'SALE') = 1))"""));
        // No lead went unsold while a buyer had room: 12 leads need more than the 18 sales the caps allow.
        assertEquals(Map.of(a, 4L, b, 6L, c, 8L), sales);
        assertTrue(statuses.contains("UNSOLD"), statuses.toString());
        assertEquals(statuses.stream().filter("SOLD"::equals).count(),
                count("select count(*) from lead where publisher_id = 'pub-share-4' and status = 'SOLD'"));
    }

    @Test
    void aSharedPingPromisesTheSumOfItsPayoutsAndItsPostSellsSharedOrNotBelowIt() {
        String a = newBuyerId();
        String b = newBuyerId();
        ThirdParties.sharer(a, 1, "5.00", "0.35", null, "solar");
        ThirdParties.sharer(b, 2, "5.00", "0.35", null, "solar");
        // Two at 0.35 (0.70) against 5.00 exclusive: exclusive.
        PingPostTest.ping("pub-share-5", PingPostTest.ping()).then().statusCode(201).body("mode", equalTo("exclusive"));
        ThirdParties.sharer(a, 1, "5.00", "4.35", null, "solar");
        ThirdParties.sharer(b, 2, "5.00", "4.35", null, "solar");
        eligible.invalidate();
        // 4.35 + 4.35 = 8.70 > 5.00: shared. The publisher is paid each sale's payout: 4.35 x 0.70 = 3.045 -> 3.04
        // (half-even), twice: 6.08, which the ping promises (not 8.70 x 0.70 = 6.09, which no sale would pay).
        String pingId = PingPostTest.ping("pub-share-5", PingPostTest.ping()).then().statusCode(201).body("mode", equalTo("shared"))
                .body("price", equalTo("6.08")).extract().path("pingId");
        String leadId = submit("pub-share-5", PingPostTest.postOf(pingId)).then().statusCode(201).body("mode", equalTo("shared"))
                .body("price", equalTo("8.70")).extract().path("id");
        assertEquals(Set.of(a, b), buyersOf(leadId));
        assertEquals("6.08", text("select sum(payout)::text from revenue_entry where lead_id = ?::uuid", leadId));

        // One sharer gone before the post: the other cannot share alone, and 5.00 exclusive does not cover the pinged 8.70.
        String second = PingPostTest.ping("pub-share-5", PingPostTest.ping()).then().statusCode(201).body("mode", equalTo("shared"))
                .extract().path("pingId");
        ThirdParties.BUYERS.remove(b);
        eligible.invalidate();
        long before = count("select count(*) from revenue_entry where publisher_id = 'pub-share-5'");
        submit("pub-share-5", PingPostTest.postOf(second)).then().statusCode(201).body("status", equalTo("UNSOLD"))
                .body("reason", equalTo("ping-price-not-covered"));
        assertEquals(before, count("select count(*) from revenue_entry where publisher_id = 'pub-share-5'"), "nothing charged");
    }

    private double notTheBuyerRefusals() {
        return meters.find("auction_outcomes_total").tags("kind", "RETURNED", "applied", "false", "refusal", "not-the-buyer").counters()
                .stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static String sale(String leadId, String buyer) {
        return text("select price || '|' || payout || '|' || margin from revenue_entry where lead_id = ?::uuid and buyer_id = ?::uuid and kind = 'SALE'",
                leadId, buyer);
    }

    private static Set<String> buyersOf(String leadId) {
        Set<String> buyers = new java.util.HashSet<>();
        JsonPath sales = admin().get("/v1/leads/" + leadId).then().statusCode(200).extract().jsonPath();
        for (int i = 0; i < sales.getList("sales").size(); i++) {
            buyers.add(sales.getString("sales[" + i + "].buyerId"));
        }
        return buyers;
    }

    /** What webhook-gateway puts on the stream for a buyer's verified return; answers its message id. */
    private String returned(String buyer, String leadId) {
        String messageId = "msg_" + UUID.randomUUID();
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("buyerId", buyer).put("leadId", leadId).put("messageId", messageId)
                .put("reason", "wrong number");
        EventEnvelope envelope = EventEnvelope.create(EventContract.Types.LEAD_RETURNED, "buyer:" + buyer, messageId, clock.instant(),
                leadId, data).withReceivedAt(clock.instant());
        publisher.publish(EventContract.Streams.AUCTION, envelope).await().indefinitely();
        return messageId;
    }

}
