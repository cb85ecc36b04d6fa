package com.nova.auction;

import static com.nova.kit.testing.TestRequests.as;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.nova.kit.testing.TestDatabase;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Valid leads of people never seen before, requests as publishers and admins send them, and direct reads of the test database. */
public final class AuctionFixtures {

    public static final String DB = "auction_test";
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);
    public static final String CERT = "https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567";

    private AuctionFixtures() {
    }

    /** A valid lead for a new person (unique e-mail and phone), in CA 94105, vertical solar. */
    public static Map<String, Object> lead() {
        long n = SEQ.incrementAndGet();
        Map<String, Object> lead = new HashMap<>();
        lead.put("vertical", "solar");
        lead.put("firstName", "Ada");
        lead.put("lastName", "O'Neil");
        lead.put("email", "Person." + n + "@Example.com");
        lead.put("phone", String.format("(415) %03d-%04d", 200 + (n / 10_000) % 800, n % 10_000));
        lead.put("zip", "94105");
        lead.put("state", "CA");
        lead.put("trustedFormCertUrl", CERT);
        lead.put("consent", true);
        lead.put("comments", "Prefers mornings");
        return lead;
    }

    public static Map<String, Object> lead(String key, Object value) {
        Map<String, Object> lead = lead();
        lead.put(key, value);
        return lead;
    }

    public static Response submit(String publisher, Map<String, Object> lead) {
        return submit(publisher, UUID.randomUUID().toString(), lead);
    }

    public static Response submit(String publisher, String key, Map<String, Object> lead) {
        return as(publisher, "publisher").header("Idempotency-Key", key).contentType(ContentType.JSON).body(lead)
                .post("/v1/leads");
    }

    /** The admin every auction-service test acts as. */
    public static RequestSpecification admin() {
        return as("admin-1", "admin");
    }

    public static long count(String sql, Object... args) {
        return TestDatabase.count(DB, sql, args);
    }

    public static String text(String sql, Object... args) {
        return TestDatabase.text(DB, sql, args);
    }

    public static void exec(String sql, Object... args) {
        TestDatabase.exec(DB, sql, args);
    }

    public static Connection connect() throws SQLException {
        return TestDatabase.connect(DB);
    }

    /**
     * The footprint once the outbox relay has sent what earlier sales enqueued: otherwise a row it
     * deletes between two counts would look like a change the test caused.
     */
    public static String settledFootprint() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> count("select count(*) from outbox") == 0);
        return footprint();
    }

    /** Rows of every table a lead's decision writes, so a test can prove nothing changed. */
    public static String footprint() {
        return text("""
                select concat_ws(',', (select count(*) from lead), (select count(*) from lead_person_claim),
                    (select count(*) from auction), (select count(*) from auction_bid), (select count(*) from revenue_entry),
                    (select count(*) from delivery), (select count(*) from outbox), (select count(*) from audit_log),
                    (select coalesce(sum(day_leads), 0) from buyer_usage))""");
    }

    /** A buyer id of its own for one test: per-buyer state (a breaker, a cached endpoint) outlives a test. */
    public static String newBuyerId() {
        return UUID.randomUUID().toString();
    }

    /** Each considered buyer's outcome in an auction as {@code GET /v1/leads/{id}/auction} answers it. */
    public static Map<String, String> bidOutcomes(JsonPath auction) {
        Map<String, String> outcome = new HashMap<>();
        for (int i = 0; i < auction.getList("bids").size(); i++) {
            outcome.put(auction.getString("bids[" + i + "].buyerId"), auction.getString("bids[" + i + "].outcome"));
        }
        return outcome;
    }
}
