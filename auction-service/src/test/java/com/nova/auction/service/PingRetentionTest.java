package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.count;
import static com.nova.auction.AuctionFixtures.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Unused pings are deleted seven days (the default retention) after they expired; a ping a post
 * used stays with its lead, and a ping still within the retention stays too.
 */
@QuarkusTest
@AuctionServiceTest
class PingRetentionTest extends AuctionTestBase {

    @Inject
    PingRetention retention;

    private static boolean exists(String pingId) {
        return count("select count(*) from lead_ping where id = ?::uuid", pingId) == 1;
    }

    @Test
    void unusedPingsGoAWeekAfterTheyExpiredUsedOnesStay() {
        ThirdParties.buyer(PingPostTest.A, 1, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        String unused = PingPostTest.ping("pub-retention", PingPostTest.ping()).then().statusCode(201).extract().path("pingId");
        String used = PingPostTest.ping("pub-retention", PingPostTest.ping()).then().statusCode(201).extract().path("pingId");
        submit("pub-retention", PingPostTest.postOf(used)).then().statusCode(201);

        clock.advance(Duration.ofDays(3));
        String recent = PingPostTest.ping("pub-retention", PingPostTest.ping()).then().statusCode(201).extract().path("pingId");

        // Six days after the first pings expired: nothing is old enough yet.
        clock.advance(Duration.ofDays(3));
        retention.purge().await().atMost(Duration.ofSeconds(30));
        assertEquals(List.of(true, true, true), List.of(exists(unused), exists(used), exists(recent)));

        // Seven days and a few minutes after: the unused one goes, the used one stays, the later one (four days old) stays.
        clock.advance(Duration.ofDays(1).plusMinutes(5));
        long purged = retention.purge().await().atMost(Duration.ofSeconds(30));
        assertEquals(List.of(false, true, true), List.of(exists(unused), exists(used), exists(recent)));
        org.junit.jupiter.api.Assertions.assertTrue(purged >= 1, "counted what it deleted: " + purged);
        submit("pub-retention", PingPostTest.postOf(unused)).then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("pingId"));
    }
}
