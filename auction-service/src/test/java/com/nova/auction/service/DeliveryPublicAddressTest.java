package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.auction.AuctionFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;
import com.nova.kit.events.EventContract;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With prod's delivery rule (no private networks), a delivery URL whose host is, or resolves to, a
 * loopback address in any spelling is refused when the worker connects: FAILED at the first
 * attempt with the reason, dead-lettered, and nothing posted. buyer-registry checked the URL at
 * registration, but DNS may answer differently by the time a lead is sold.
 */
@QuarkusTest
@TestProfile(DeliveryPublicAddressTest.PublicAddressesOnly.class)
@AuctionServiceTest
class DeliveryPublicAddressTest extends AuctionTestBase {

    public static class PublicAddressesOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auction.delivery.allow-private-network", "false");
        }
    }

    static final String A = "aaaaaaaa-0000-4000-8000-0000000000f1";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RedisDataSource redis;

    @Test
    void aDeliveryUrlReachingLoopbackIsRefusedAtConnectTimeAndNotRetried() {
        ThirdParties.buyer(A, 1, "10.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String path = ":" + ThirdParties.port + "/buyer/" + A + "/leads";
        for (String url : List.of("http://127.0.0.1" + path, "http://[::ffff:127.0.0.1]" + path,
                "http://[64:ff9b::7f00:1]" + path, "http://localhost" + path)) {
            ThirdParties.BUYER_URL.put(A, url);
            eligible.invalidate(); // as buyers.events does when a buyer's URL changes: the cached target goes
            String id = submit("pub-1", lead()).then().statusCode(201).extract().path("id");
            Awaitility.await().atMost(WAIT).until(() -> !String.valueOf(delivery(id)).matches("(PENDING|IN_FLIGHT)\\|.*"));
            assertEquals("FAILED|1", delivery(id), url + ": a final failure, not retried");
            String error = text("select last_error from delivery where lead_id = ?::uuid", id);
            assertTrue(error.contains("not public"), url + ": " + error);
            Awaitility.await().atMost(WAIT).until(() -> deadLettered(id));
            assertEquals(0, ThirdParties.postsFor(id).size(), url + ": nothing was posted");
        }
    }

    private static String delivery(String leadId) {
        return text("select status || '|' || attempts from delivery where lead_id = ?::uuid", leadId);
    }

    private boolean deadLettered(String leadId) {
        return redis.stream(String.class).xrange(EventContract.Streams.AUCTION_DELIVERIES + ".dlq", StreamRange.of("-", "+")).stream()
                .anyMatch(m -> m.payload().getOrDefault("envelope", "").contains(leadId));
    }
}
