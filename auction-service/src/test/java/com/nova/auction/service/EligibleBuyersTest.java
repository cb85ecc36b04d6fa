package com.nova.auction.service;

import static com.nova.kit.testing.TestRequests.as;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.newBuyerId;
import static com.nova.auction.AuctionFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;
import com.nova.auction.client.ProviderUnavailableException;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The eligible buyers of a vertical as auction-service reads them from buyer-registry (a stub that
 * answers the list as it was when asked, and holds its answer while the test's gate is set, at most
 * 300 ms, inside the client's 400 ms test timeout): requests that miss share one read and each goes
 * on as itself, a list past half its TTL (60 s) is served while it is read again, a list past its TTL
 * is waited for, a stale one serves only while the registry is down and for at most max-stale
 * (10 m), and a read from before a change is neither joined nor kept.
 */
@QuarkusTest
@AuctionServiceTest
class EligibleBuyersTest extends AuctionTestBase {

    private static final String VERTICAL = "life_insurance";

    private Set<String> read() {
        return ids(eligible.forVertical(VERTICAL).await().atMost(Duration.ofSeconds(30)));
    }

    private static Set<String> ids(List<EligibleBuyer> buyers) {
        return buyers.stream().map(b -> b.id().toString()).collect(Collectors.toSet());
    }

    private static String buyer(long seq) {
        String id = newBuyerId();
        ThirdParties.buyer(id, seq, "10.00", 0, List.of("CA"), List.of(), null, null, null, VERTICAL);
        return id;
    }

    private static int reads() {
        return ThirdParties.eligibleReads(VERTICAL);
    }

    @Test
    void requestsThatMissShareOneRead() {
        String a = buyer(1);
        CountDownLatch gate = new CountDownLatch(1);
        ThirdParties.eligibleGate = gate;
        List<CompletableFuture<List<EligibleBuyer>>> requests = IntStream.range(0, 8)
                .mapToObj(i -> eligible.forVertical(VERTICAL).subscribeAsCompletionStage()).toList();
        gate.countDown();
        requests.forEach(r -> assertEquals(Set.of(a), ids(r.join())));
        assertEquals(1, reads());
    }

    @Test
    void leadsThatShareARegistryReadAreEachRecordedUnderTheirOwnRequestId() {
        buyer(1);
        ThirdParties.eligibleGate = new CountDownLatch(1); // never opened: the read answers after 300 ms
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> post("req-first-0001"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> reads() == 1);
        String second = post("req-second-0002");
        assertEquals(1, reads(), "the second lead waited for the first one's read");
        assertEquals("req-first-0001", text("select request_id from audit_log where target = ?", "lead:" + first.join()));
        assertEquals("req-second-0002", text("select request_id from audit_log where target = ?", "lead:" + second));
    }

    private static String post(String requestId) {
        Map<String, Object> lead = lead("vertical", VERTICAL);
        return as("pub-eligible-1", "publisher").header("Idempotency-Key", UUID.randomUUID().toString())
                .header("X-Request-ID", requestId).contentType(ContentType.JSON).body(lead).post("/v1/leads")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void aListPastHalfItsTtlIsServedWhileItIsReadAgain() {
        String a = buyer(1);
        assertEquals(Set.of(a), read());
        String b = buyer(2); // not announced: only the TTL brings it
        CountDownLatch gate = new CountDownLatch(1);
        ThirdParties.eligibleGate = gate;
        clock.advance(Duration.ofSeconds(31));
        // Had these waited for the read they would have the new buyer: they are answered from the cached list.
        for (int i = 0; i < 5; i++) {
            assertEquals(Set.of(a), read());
        }
        gate.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> read().contains(b));
        assertEquals(Set.of(a, b), read());
        assertEquals(2, reads(), "one read in the background for all of them");
    }

    @Test
    void aListPastItsTtlIsWaitedFor() {
        String a = buyer(1);
        assertEquals(Set.of(a), read());
        String b = buyer(2);
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Set.of(a, b), read());
        assertEquals(2, reads());
    }

    @Test
    void whileTheRegistryIsDownAListUpToMaxStaleServes() {
        String a = buyer(1);
        assertEquals(Set.of(a), read());
        ThirdParties.registryDown = true;
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Set.of(a), read());
        clock.advance(Duration.ofMinutes(10));
        ProviderUnavailableException down = assertThrows(ProviderUnavailableException.class, this::read);
        assertEquals("buyer-registry-unavailable", down.getMessage());
        ThirdParties.registryDown = false;
        assertEquals(Set.of(a), read());
    }

    @Test
    void aReadFromBeforeAChangeIsNeitherJoinedNorKept() {
        String a = buyer(1);
        CountDownLatch gate = new CountDownLatch(1);
        ThirdParties.eligibleGate = gate;
        CompletableFuture<List<EligibleBuyer>> before = eligible.forVertical(VERTICAL).subscribeAsCompletionStage();
        Awaitility.await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> reads() == 1);
        // The registry has taken the list without b and holds its answer; then b joins and buyers.events says so.
        ThirdParties.eligibleGate = null;
        String b = buyer(2);
        eligible.invalidate();
        assertEquals(Set.of(a, b), read(), "a new read, not the one in flight");
        gate.countDown();
        assertEquals(Set.of(a), ids(before.join()));
        assertEquals(Set.of(a, b), read(), "the older read's answer did not replace the newer one");
        assertEquals(2, reads());
    }
}
