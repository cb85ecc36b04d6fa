package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.admin;
import static com.nova.auction.AuctionFixtures.exec;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.auction.AuctionFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;
import com.nova.kit.config.KitConfig;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.EventPublisher;
import com.nova.kit.events.StreamConsumer;
import com.nova.kit.events.StreamConsumers;
import com.nova.kit.events.StreamSubscription;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Delivery of sold leads to the winning buyer's endpoint (the {@link ThirdParties} stub records every
 * post): credentials from buyer-registry, an Idempotency-Key, retries on 5xx/429/timeouts, the
 * dead-letter stream for final failures, and exactly one post per lead with competing workers and
 * duplicated stream entries.
 */
@QuarkusTest
@AuctionServiceTest
class DeliveryTest extends AuctionTestBase {

    static final String A = "aaaaaaaa-0000-4000-8000-0000000000d1";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DeliveryWorker worker;

    @Inject
    StreamConsumers consumers;

    @Inject
    RedisDataSource redis;

    @Inject
    EventPublisher publisher;

    @Inject
    KitConfig kit;

    private String sell() {
        return submit("pub-1", lead()).then().statusCode(201).extract().path("id");
    }

    private static String delivery(String leadId) {
        return text("select status || '|' || attempts from delivery where lead_id = ?::uuid", leadId);
    }

    @Test
    void aSoldLeadIsPostedOnceWithTheBuyersCredentialsAndAnIdempotencyKey() {
        ThirdParties.buyer(A, 1, "41.50", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String id = sell();
        Awaitility.await().atMost(WAIT).until(() -> "DELIVERED|1".equals(delivery(id)));
        List<ThirdParties.Post> posts = ThirdParties.postsFor(id);
        assertEquals(1, posts.size());
        ThirdParties.Post post = posts.get(0);
        assertEquals(A, post.buyerId());
        assertEquals(id, post.idempotencyKey());
        assertEquals("Bearer buyer-token-" + A, post.authorization());
        // Money travels as an exact decimal string, never a JSON number.
        assertTrue(post.body().get("price").isTextual());
        assertEquals("41.50", post.body().get("price").asText());
        assertEquals("+14155550123".length(), post.body().get("phone").asText().length());
        admin().get("/v1/leads/" + id).then().statusCode(200)
                .body("delivery", org.hamcrest.Matchers.equalTo("DELIVERED"));
    }

    @Test
    void aBuyersCredentialsAreReadOnceForManyDeliveriesAndAgainAfterABuyerChange() {
        ThirdParties.buyer(A, 1, "41.50", 0, List.of("CA"), List.of(), null, null, null, "solar");
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leads.add(sell());
        }
        Awaitility.await().atMost(WAIT).until(() -> leads.stream().allMatch(id -> "DELIVERED|1".equals(delivery(id))));
        // Deliveries run concurrently: at most one read each until the first is cached, fewer than one per lead once it is.
        int reads = ThirdParties.deliveryReads(A);
        String next = sell();
        Awaitility.await().atMost(WAIT).until(() -> "DELIVERED|1".equals(delivery(next)));
        assertEquals(reads, ThirdParties.deliveryReads(A), "a cached target is not read again");

        // The buyer's credentials change in buyer-registry, which announces it on buyers.events: that
        // entry drops what this instance cached (long before the 60 s TTL), and deliveries use the new ones.
        ThirdParties.BUYER_TOKEN.put(A, "rotated-token-" + A);
        publisher.publish(EventContract.Streams.BUYERS, EventEnvelope.create(EventContract.Types.BUYER_CHANGED, "buyer-registry", A,
                java.time.Instant.now(), A, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("buyerId", A)))
                .await().indefinitely();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            String after = sell();
            Awaitility.await().atMost(WAIT).until(() -> "DELIVERED|1".equals(delivery(after)));
            return ("Bearer rotated-token-" + A).equals(ThirdParties.postsFor(after).get(0).authorization());
        });
        assertEquals(reads + 1, ThirdParties.deliveryReads(A), "read once more, then cached again");
    }

    @Test
    void credentialsTheBuyerRefusesAreReadAgainAndThePostRepeatedAtOnce() {
        ThirdParties.buyer(A, 1, "41.50", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.BUYER_CHECKS_TOKEN.add(A);
        String first = sell();
        Awaitility.await().atMost(WAIT).until(() -> "DELIVERED|1".equals(delivery(first)));
        int reads = ThirdParties.deliveryReads(A);

        // The buyer rotated its token in buyer-registry and no buyers.events has told this instance yet.
        ThirdParties.BUYER_TOKEN.put(A, "rotated-token-" + A);
        String id = sell();
        Awaitility.await().atMost(WAIT).until(() -> "DELIVERED|1".equals(delivery(id)));
        List<ThirdParties.Post> posts = ThirdParties.postsFor(id);
        assertEquals(List.of("Bearer buyer-token-" + A, "Bearer rotated-token-" + A), posts.stream().map(ThirdParties.Post::authorization).toList(),
                "the cached credentials were refused (401), read again and the lead posted with the new ones, in one attempt");
        assertTrue(posts.stream().allMatch(p -> id.equals(p.idempotencyKey())));
        assertEquals(reads + 1, ThirdParties.deliveryReads(A));

        // A buyer refusing the very credentials buyer-registry holds: read again, unchanged, so posted once only.
        int before = ThirdParties.deliveryReads(A);
        ThirdParties.failBuyer(A, 401);
        String refused = sell();
        Awaitility.await().atMost(WAIT).until(() -> delivery(refused).startsWith("FAILED|"));
        assertEquals("FAILED|1", delivery(refused));
        assertEquals(1, ThirdParties.postsFor(refused).size());
        assertEquals(before + 1, ThirdParties.deliveryReads(A));

        // Credentials read for this very delivery and refused are the buyer's answer: not read again.
        eligible.invalidate();
        ThirdParties.failBuyer(A, 403);
        String forbidden = sell();
        Awaitility.await().atMost(WAIT).until(() -> delivery(forbidden).startsWith("FAILED|"));
        assertEquals(1, ThirdParties.postsFor(forbidden).size());
        assertEquals(before + 2, ThirdParties.deliveryReads(A));
    }

    @Test
    void timeoutsAndServerErrorsAreRetriedUntilTheBuyerAccepts() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.failBuyer(A, 503, 429, 500);
        String id = sell();
        Awaitility.await().atMost(WAIT).until(() -> "DELIVERED|4".equals(delivery(id)));
        List<ThirdParties.Post> posts = ThirdParties.postsFor(id);
        assertEquals(4, posts.size());
        assertTrue(posts.stream().allMatch(p -> id.equals(p.idempotencyKey())), "every attempt carries the same key");

        // A buyer slower than the request timeout (1 s in tests) is retried as well.
        ThirdParties.BUYER_DELAY_MS.put(A, 1_500);
        String slow = sell();
        Awaitility.await().atMost(WAIT).until(() -> ThirdParties.postsFor(slow).size() >= 2);
        ThirdParties.BUYER_DELAY_MS.remove(A);
        Awaitility.await().atMost(WAIT).until(() -> delivery(slow).startsWith("DELIVERED|"));
    }

    @Test
    void aBuyerTricklingItsAnswerHitsTheDeadlineAndIsRetriedLikeATimeout() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        // A 200 whose body takes 8 s, a byte every 200 ms: never idle, always past the 1 s deadline.
        ThirdParties.BUYER_TRICKLES.put(A, new AtomicInteger(1));
        String id = sell();
        // The exchange is closed at its deadline, long before the trickle would have ended (8 s).
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ThirdParties.TRICKLES_CUT.get() == 1);
        Awaitility.await().atMost(WAIT).until(() -> delivery(id).startsWith("DELIVERED|"));
        assertEquals("DELIVERED|2", delivery(id), "the trickled answer timed out and the next attempt delivered");
        assertEquals(2, ThirdParties.postsFor(id).size());
    }

    @Test
    void aHugeAnswerIsCutOffWithoutFailingTheDelivery() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        long size = 256L * 1024 * 1024;
        ThirdParties.BUYER_HUGE_BODY.put(A, size);
        String id = sell();
        Awaitility.await().atMost(WAIT).until(() -> delivery(id).startsWith("DELIVERED|") || delivery(id).startsWith("FAILED|"));
        assertEquals("DELIVERED|1", delivery(id), "a 2xx with an oversized body is still a delivery");
        assertEquals("200", text("select response_code::text from delivery where lead_id = ?::uuid", id));
        Awaitility.await().atMost(WAIT).until(() -> ThirdParties.HUGE_BODY_WRITTEN.get() >= 0);
        // 64 KiB are read; the stub gets rid of little more than the sockets' buffers before the connection closes.
        long written = ThirdParties.HUGE_BODY_WRITTEN.get();
        assertTrue(written < 32L * 1024 * 1024, "the caller stopped reading the body: " + written + " of " + size + " bytes written");
    }

    @Test
    void aDeliveryUrlThatIsNotHttpFailsAtOnceWithoutAPost() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.BUYER_URL.put(A, "ftp://127.0.0.1:" + ThirdParties.port + "/buyer/" + A + "/leads");
        String id = sell();
        Awaitility.await().atMost(WAIT).until(() -> delivery(id).startsWith("FAILED|") || delivery(id).startsWith("DELIVERED|"));
        assertEquals("FAILED|1", delivery(id));
        assertEquals("delivery URL is not an absolute http(s) URL", text("select last_error from delivery where lead_id = ?::uuid", id));
        Awaitility.await().atMost(WAIT).until(() -> deadLettered(id));
        assertEquals(0, ThirdParties.postsFor(id).size());
    }

    @Test
    void thePostCarriesTheUrlsHostWhileConnectingToTheAddressChecked() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.BUYER_URL.put(A, "http://localhost:" + ThirdParties.port + "/buyer/" + A + "/leads");
        String id = sell();
        Awaitility.await().atMost(WAIT).until(() -> "DELIVERED|1".equals(delivery(id)));
        assertEquals("localhost:" + ThirdParties.port, ThirdParties.postsFor(id).get(0).host());
    }

    @Test
    void aSlowBuyerDoesNotHoldUpDeliveriesToOthers() {
        String slowBuyer = "aaaaaaaa-0000-4000-8000-0000000000d2";
        ThirdParties.buyer(slowBuyer, 1, "10.00", 0, List.of("CA"), List.of(), 1, null, null, "solar");
        ThirdParties.buyer(A, 2, "9.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.BUYER_DELAY_MS.put(slowBuyer, 3_000); // beyond the 1 s request timeout, every attempt
        String slow = sell(); // the slow buyer wins this one, then is at its daily cap of 1
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(sell());
        }
        Awaitility.await().atMost(WAIT).until(() -> others.stream().allMatch(id -> delivery(id).startsWith("DELIVERED|")));
        assertTrue(!delivery(slow).startsWith("DELIVERED"), "the others were delivered while the slow one was still trying");
        ThirdParties.BUYER_DELAY_MS.remove(slowBuyer);
        Awaitility.await().atMost(WAIT).until(() -> delivery(slow).startsWith("DELIVERED|"));
    }

    @Test
    void aFinalRefusalOrTooManyFailuresEndInTheDeadLetterStream() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.failBuyer(A, 400);
        String refused = sell();
        Awaitility.await().atMost(WAIT).until(() -> "FAILED|1".equals(delivery(refused)));
        assertEquals("HTTP 400", text("select last_error from delivery where lead_id = ?::uuid", refused));
        Awaitility.await().atMost(WAIT).until(() -> deadLettered(refused));

        ThirdParties.failBuyer(A, 500, 500, 500, 500, 500, 500, 500);
        String failing = sell();
        Awaitility.await().atMost(WAIT).until(() -> "FAILED|5".equals(delivery(failing)));
        assertEquals(5, ThirdParties.postsFor(failing).size(), "max-attempts is 5");
        Awaitility.await().atMost(WAIT).until(() -> deadLettered(failing));
        // The lead stays sold: a failed delivery is an operator's matter, not a reversal.
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", failing));
    }

    private boolean deadLettered(String leadId) {
        return redis.stream(String.class).xrange(EventContract.Streams.AUCTION_DELIVERIES + ".dlq", StreamRange.of("-", "+")).stream()
                .anyMatch(m -> m.payload().getOrDefault("envelope", "").contains(leadId));
    }

    @Test
    void competingWorkersAndDuplicatedEntriesStillPostEachLeadOnce() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        // Slow enough that the workers overlap on one lead.
        ThirdParties.BUYER_DELAY_MS.put(A, 150);
        List<StreamConsumer> extra = new ArrayList<>();
        // Two more workers in the service's group, and one in a group of its own that sees every
        // entry (a second deployment misconfigured onto the same stream): only the claim stops it.
        extra.add(consumers.start(worker.subscription("w2"), "w2", redis, kit.streams()));
        extra.add(consumers.start(worker.subscription("w3"), "w3", redis, kit.streams()));
        // (created at the stream's end: entries of earlier runs are not this test's business)
        redis.stream(String.class).xgroupCreate(EventContract.Streams.AUCTION_DELIVERIES, "auction-delivery-rogue", "$",
                new io.quarkus.redis.datasource.stream.XGroupCreateArgs().mkstream());
        extra.add(consumers.start(new StreamSubscription(EventContract.Streams.AUCTION_DELIVERIES, "auction-delivery-rogue",
                worker.handler("rogue")), "rogue", redis, kit.streams()));
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String id = sell();
                ids.add(id);
                // The relay publishing the same event again (a crash between XADD and marking it sent).
                EventEnvelope again = EventEnvelope.create("lead.sold", "auction-service", id, java.time.Instant.now(), id,
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("leadId", id));
                publisher.publish(EventContract.Streams.AUCTION_DELIVERIES, again).await().indefinitely();
            }
            Awaitility.await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> delivery(id).startsWith("DELIVERED|")));
            // Let any straggler finish: none may post again.
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> ids.stream().allMatch(id -> ThirdParties.postsFor(id).size() == 1));
            for (String id : ids) {
                assertEquals("DELIVERED|1", delivery(id), "lead " + id);
            }
        } finally {
            extra.forEach(StreamConsumer::stop);
            redis.stream(String.class).xgroupDestroy(EventContract.Streams.AUCTION_DELIVERIES, "auction-delivery-rogue");
        }
    }

    @Test
    void aDeliveryWhoseWorkerDiedMidFlightIsTakenOverOnceItsLeaseAndClaimIdleHavePassed() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.failBuyer(A, 400); // the service's own worker finishes this sale at once (FAILED)
        String id = sell();
        Awaitility.await().atMost(WAIT).until(() -> delivery(id).startsWith("FAILED|"));
        int before = ThirdParties.postsFor(id).size();
        // A worker read the entry, claimed the row (lease 1 s in tests) and died before posting or acknowledging.
        exec("update delivery set status = 'IN_FLIGHT', claimed_by = 'doomed', claimed_until = now() + interval '1 second', "
                + "last_error = null, response_code = null, version = version + 1 where lead_id = ?::uuid", id);
        String stream = EventContract.Streams.AUCTION_DELIVERIES + ".takeover-" + java.util.UUID.randomUUID();
        var streams = redis.stream(String.class, String.class, String.class);
        EventEnvelope event = EventEnvelope.create("lead.sold", "auction-service", id, java.time.Instant.now(), id,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("leadId", id));
        streams.xadd(stream, publisher.fields(event));
        streams.xgroupCreate(stream, DeliveryWorker.GROUP, "0", new io.quarkus.redis.datasource.stream.XGroupCreateArgs().mkstream());
        assertEquals(1, streams.xreadgroup(DeliveryWorker.GROUP, "doomed", stream, ">",
                new io.quarkus.redis.datasource.stream.XReadGroupArgs().count(1)).size());

        // The heir (claim-idle 2 s in tests, longer than the lease) reclaims the entry and finds the lease lapsed.
        StreamConsumer heir = consumers.start(new StreamSubscription(stream, DeliveryWorker.GROUP, worker.handler("heir")),
                "heir", redis, kit.streams());
        try {
            Awaitility.await().atMost(WAIT).until(() -> delivery(id).startsWith("DELIVERED|"));
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> ThirdParties.postsFor(id).size() == before + 1);
            assertEquals("heir", text("select claimed_by from delivery where lead_id = ?::uuid", id));
            assertEquals(0, streams.xpending(stream, DeliveryWorker.GROUP).getPendingCount());
        } finally {
            heir.stop();
            redis.key().del(stream);
        }
    }

    @Test
    void anEntryThatFindsItsDeliveryStillLeasedComesBackLaterInsteadOfBeingAcknowledged() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.failBuyer(A, 400); // the service's own worker finishes this sale at once (FAILED)
        String id = sell();
        Awaitility.await().atMost(WAIT).until(() -> delivery(id).startsWith("FAILED|"));
        int before = ThirdParties.postsFor(id).size();
        // A worker claimed the row and then lost its connection to the database (its result, or the
        // claim's own answer, never arrived): the lease still runs when its entry is handled again.
        exec("update delivery set status = 'IN_FLIGHT', claimed_by = 'cut-off', claimed_until = now() + interval '3 seconds', "
                + "last_error = null, response_code = null, version = version + 1 where lead_id = ?::uuid", id);
        String stream = EventContract.Streams.AUCTION_DELIVERIES + ".leased-" + java.util.UUID.randomUUID();
        var streams = redis.stream(String.class, String.class, String.class);
        EventEnvelope event = EventEnvelope.create("lead.sold", "auction-service", id, java.time.Instant.now(), id,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("leadId", id));
        streams.xgroupCreate(stream, DeliveryWorker.GROUP, "0", new io.quarkus.redis.datasource.stream.XGroupCreateArgs().mkstream());
        streams.xadd(stream, publisher.fields(event));

        // Not acknowledged while the lease runs (that would leave the lead IN_FLIGHT for good): the
        // entry is reclaimed after claim-idle, the lapsed lease claimed, the lead posted once more.
        StreamConsumer retry = consumers.start(new StreamSubscription(stream, DeliveryWorker.GROUP, worker.handler("retry")),
                "retry", redis, kit.streams());
        try {
            Awaitility.await().atMost(WAIT).until(() -> delivery(id).startsWith("DELIVERED|"));
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> ThirdParties.postsFor(id).size() == before + 1);
            assertEquals("retry", text("select claimed_by from delivery where lead_id = ?::uuid", id));
            Awaitility.await().atMost(WAIT).until(() -> streams.xpending(stream, DeliveryWorker.GROUP).getPendingCount() == 0);
        } finally {
            retry.stop();
            redis.key().del(stream);
        }
    }
}
