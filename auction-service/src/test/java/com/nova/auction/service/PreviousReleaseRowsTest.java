package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.admin;
import static com.nova.auction.AuctionFixtures.exec;
import static com.nova.auction.AuctionFixtures.submit;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;

import io.quarkus.test.junit.QuarkusTest;

/**
 * During a rollout the previous release keeps writing on the migrated schema: its rows (no sale
 * mode, bids in auction_bid, pings without a mode) pass every check and read as exclusive.
 * The statements are the previous release's own.
 */
@QuarkusTest
@AuctionServiceTest
class PreviousReleaseRowsTest extends AuctionTestBase {

    @Test
    void aSaleAndAPingOfThePreviousReleaseAreStoredAndReadAsExclusive() {
        UUID lead = UUID.randomUUID();
        UUID buyer = UUID.randomUUID();
        exec("""
                insert into lead (id, publisher_id, idempotency_key, request_hash, vertical, first_name, last_name, email, phone, zip, state,
                  trusted_form_cert_url, comments, status, status_reason, buyer_id, price, created_at, updated_at, consent, next_check_at)
                values (?::uuid, 'pub-old', ?, repeat('a', 64), 'solar', 'Ada', 'Lovelace', 'old@example.com', '+14152345678', '94105', 'CA',
                  'https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567', null, 'SOLD', null, ?::uuid, 25.00, now(), now(), true, null)""",
                lead.toString(), "old-" + lead, buyer.toString());
        exec("insert into auction (lead_id, decided_at, winner_id, price, deciding_rule, considered) values (?::uuid, now(), ?::uuid, 25.00, 'HIGHEST_BID', 1)",
                lead.toString(), buyer.toString());
        exec("insert into auction_bid (lead_id, buyer_id, bid, outcome) values (?::uuid, ?::uuid, 25.00, 'WON')", lead.toString(), buyer.toString());
        exec("insert into revenue_entry (lead_id, kind, buyer_id, publisher_id, vertical, price, payout, margin, booked_at) values (?::uuid, 'SALE', ?::uuid, 'pub-old', 'solar', 25.00, 17.50, 7.50, now())",
                lead.toString(), buyer.toString());
        exec("insert into delivery (lead_id, buyer_id, status, created_at) values (?::uuid, ?::uuid, 'PENDING', now())", lead.toString(), buyer.toString());

        admin().get("/v1/leads/" + lead).then().statusCode(200).body("mode", equalTo("exclusive")).body("buyerId", equalTo(buyer.toString()))
                .body("delivery", equalTo("PENDING"));
        // Its bids were written to auction_bid: read from there.
        admin().get("/v1/leads/" + lead + "/auction").then().statusCode(200).body("bids[0].buyerId", equalTo(buyer.toString()))
                .body("bids[0].outcome", equalTo("WON"));

        // A priced ping of the previous release (no mode) is posted as an exclusive ping.
        String a = "aaaaaaaa-7777-4000-8000-00000000000a";
        ThirdParties.buyer(a, 1, "40.00", 0, List.of("CA"), List.of(), null, null, null, "solar");
        UUID ping = UUID.randomUUID();
        exec("""
                insert into lead_ping (id, publisher_id, idempotency_key, request_hash, vertical, zip, state, bid, price, buyer_id, considered,
                  created_at, expires_at, lead_id)
                values (?::uuid, 'pub-old', ?, repeat('b', 64), 'solar', '94105', 'CA', 40.00, 28.00, ?::uuid, 1, now(), now() + interval '1 minute', null)""",
                ping.toString(), "old-ping-" + ping, a);
        submit("pub-old", PingPostTest.postOf(ping.toString())).then().statusCode(201).body("status", equalTo("SOLD"))
                .body("buyerId", equalTo(a)).body("mode", equalTo("exclusive"));
    }
}
