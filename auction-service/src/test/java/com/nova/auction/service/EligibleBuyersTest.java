package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.newBuyerId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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

/**
 * The eligible buyers of a vertical as auction-service reads them from buyer-registry (a stub that
 * answers the list as it was when asked, as slowly as the test says, within the client's 400 ms
 * test timeout): requests that miss share one
 * read, a list past half its TTL (60 s) is served while it is read again, a list past its TTL is
 * waited for, a stale one serves only while the registry is down and for at most max-stale (10 m),
 * and a read from before a change is neither joined nor kept.
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

    @Test
    void requestsThatMissShareOneRead() {
        String a = buyer(1);
        ThirdParties.eligibleDelayMs = 100;
        List<CompletableFuture<List<EligibleBuyer>>> requests = IntStream.range(0, 8)
                .mapToObj(i -> eligible.forVertical(VERTICAL).subscribeAsCompletionStage()).toList();
        requests.forEach(r -> assertEquals(Set.of(a), ids(r.join())));
        assertEquals(1, ThirdParties.ELIGIBLE_READS.get());
    }

    @Test
    void aListPastHalfItsTtlIsServedWhileItIsReadAgain() {
        String a = buyer(1);
        assertEquals(Set.of(a), read());
        String b = buyer(2); // not announced: only the TTL brings it
        ThirdParties.eligibleDelayMs = 100;
        clock.advance(Duration.ofSeconds(31));
        // Had these waited for the read they would have the new buyer: they are answered from the cached list.
        for (int i = 0; i < 5; i++) {
            assertEquals(Set.of(a), read());
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> read().contains(b));
        assertEquals(Set.of(a, b), read());
        assertEquals(2, ThirdParties.ELIGIBLE_READS.get(), "one read in the background for all of them");
    }

    @Test
    void aListPastItsTtlIsWaitedFor() {
        String a = buyer(1);
        assertEquals(Set.of(a), read());
        String b = buyer(2);
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Set.of(a, b), read());
        assertEquals(2, ThirdParties.ELIGIBLE_READS.get());
    }

    @Test
    void whileTheRegistryIsDownAListUpToMaxStaleServes() {
        String a = buyer(1);
        assertEquals(Set.of(a), read());
        ThirdParties.registryDown = true;
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Set.of(a), read());
        clock.advance(Duration.ofMinutes(10));
        assertThrows(ProviderUnavailableException.class, this::read);
        ThirdParties.registryDown = false;
        assertEquals(Set.of(a), read());
    }

    @Test
    void aReadFromBeforeAChangeIsNeitherJoinedNorKept() {
        String a = buyer(1);
        ThirdParties.eligibleDelayMs = 100;
        CompletableFuture<List<EligibleBuyer>> before = eligible.forVertical(VERTICAL).subscribeAsCompletionStage();
        Awaitility.await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> ThirdParties.ELIGIBLE_READS.get() == 1);
        // The registry has taken the list without b; then b joins and buyers.events says so.
        String b = buyer(2);
        eligible.invalidate();
        ThirdParties.eligibleDelayMs = 0;
        assertEquals(Set.of(a, b), read(), "a new read, not the one in flight");
        assertEquals(Set.of(a), ids(before.join()));
        assertEquals(Set.of(a, b), read(), "the older read's answer did not replace the newer one");
        assertEquals(2, ThirdParties.ELIGIBLE_READS.get());
    }
}
