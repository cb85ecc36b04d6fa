package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.admin;
import static com.nova.auction.AuctionFixtures.count;
import static com.nova.auction.AuctionFixtures.footprint;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.settledFootprint;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.auction.AuctionFixtures.text;
import static com.nova.kit.testing.TestRequests.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** POST /v1/leads: validation, normalization, duplicates, idempotency, who may read a lead. */
@QuarkusTest
@AuctionServiceTest
class LeadIntakeTest extends AuctionTestBase {

    static final String BUYER = "6f1c0b7e-0000-4000-8000-000000000001";

    @BeforeEach
    void oneBuyer() {
        ThirdParties.buyer(BUYER, 1, "12.50", 0, List.of("CA", "NY"), List.of(), null, null, null, "solar");
    }

    @Test
    void aValidLeadIsSoldAndStoredNormalized() {
        Map<String, Object> lead = lead();
        lead.put("phone", "+1 (415) 555-2671");
        lead.put("email", "Jane.Doe+Leads" + UUID.randomUUID().toString().substring(0, 8) + "@Example.COM");
        var answer = submit("pub-1", lead).then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("status", equalTo("SOLD"))
                .body("price", equalTo("12.50"))
                .body("buyerId", equalTo(BUYER))
                .extract().jsonPath();
        String id = answer.getString("id");
        as("pub-1", "publisher").get("/v1/leads/" + id).then().statusCode(200)
                .body("phone", equalTo("+14155552671"))
                .body("email", equalTo(((String) lead.get("email")).toLowerCase()))
                .body("status", equalTo("SOLD"))
                .body("price", equalTo("12.50"));
        admin().get("/v1/leads/" + id).then().statusCode(200).body("publisherId", equalTo("pub-1"));
        // Another publisher learns nothing, not even that the lead exists.
        as("pub-2", "publisher").get("/v1/leads/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        as("buyer-x", "buyer").get("/v1/leads/" + id).then().statusCode(403);
    }

    @Test
    void everyInvalidFieldIsNamedAndNothingIsStored() {
        String before = settledFootprint();
        Map<String, Object> bad = Map.of("vertical", "crypto", "firstName", "", "lastName", "x".repeat(101),
                "email", "not-an-email", "phone", "555-1234", "zip", "9410", "state", "ZZ",
                "trustedFormCertUrl", "https://evil.example.com/cert/0123456789abcdef0123", "consent", false);
        submit("pub-1", new java.util.HashMap<>(bad)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:validation-failed"))
                .body("errors.field", hasItems("vertical", "firstName", "lastName", "email", "phone", "zip", "state",
                        "trustedFormCertUrl", "consent"));
        assertEquals(before, footprint());
    }

    @Test
    void phonesAreUsNumbersOnly() {
        for (String phone : List.of("+44 20 7946 0958", "(015) 555-2671", "415-155-2671", "1-800-FLOWERS", "+1 415 555 26711")) {
            submit("pub-1", lead("phone", phone)).then().statusCode(400).body("errors.field", hasItem("phone"));
        }
        for (String phone : List.of("4155552672", "1 415 555 2673", "415.555.2674", "+14155552675")) {
            submit("pub-1", lead("phone", phone)).then().statusCode(201);
        }
    }

    @Test
    void anIdempotencyKeyIsRequired() {
        as("pub-1", "publisher").contentType(ContentType.JSON).body(lead()).post("/v1/leads").then().statusCode(400)
                .body("errors.field", hasItem("Idempotency-Key"));
        as("pub-1", "publisher").header("Idempotency-Key", "short").contentType(ContentType.JSON).body(lead())
                .post("/v1/leads").then().statusCode(400);
    }

    @Test
    void theSameKeyReplaysAndADifferentLeadUnderItIsRefused() {
        Map<String, Object> lead = lead();
        String key = "lead-" + UUID.randomUUID();
        String id = submit("pub-1", key, lead).then().statusCode(201).extract().path("id");
        submit("pub-1", key, lead).then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        assertEquals(1, count("select count(*) from lead where idempotency_key = ?", key));
        Map<String, Object> other = new java.util.HashMap<>(lead);
        other.put("zip", "90210");
        submit("pub-1", key, other).then().statusCode(422)
                .body("type", equalTo("urn:nova:problem:idempotency-key-reused"));
        // Keys are per publisher.
        submit("pub-2", key, lead()).then().statusCode(201);
    }

    @Test
    void theSamePersonWithinTheWindowIsADuplicateByEmailOrPhone() {
        Map<String, Object> first = lead();
        submit("pub-1", first).then().statusCode(201);

        Map<String, Object> sameEmail = lead();
        sameEmail.put("email", ((String) first.get("email")).toUpperCase());
        submit("pub-2", sameEmail).then().statusCode(409).body("type", equalTo("urn:nova:problem:duplicate-lead"));

        Map<String, Object> samePhone = lead();
        samePhone.put("phone", ((String) first.get("phone")).replaceAll("[^0-9]", ""));
        submit("pub-2", samePhone).then().statusCode(409);

        clock.advance(Duration.ofDays(29));
        submit("pub-2", sameEmail).then().statusCode(409);
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        submit("pub-2", sameEmail).then().statusCode(201);
    }

    @Test
    void twoSimultaneousSubmissionsOfOnePersonSellOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            Map<String, Object> lead = lead();
            int n = 6;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<Future<Integer>> answers = new ArrayList<>();
            List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < n; i++) {
                String publisher = "pub-race-" + i;
                Callable<Integer> call = () -> {
                    go.await();
                    var r = submit(publisher, lead);
                    bodies.add(r.statusCode() + " " + r.asString());
                    return r.statusCode();
                };
                answers.add(pool.submit(call));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            pool.shutdown();
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "answers " + bodies);
            assertEquals(n - 1, statuses.stream().filter(s -> s == 409).count(), "statuses " + statuses);
            assertEquals(1, count("select count(*) from lead where email = ?", ((String) lead.get("email")).toLowerCase()));
        }
    }

    @Test
    void oneSubmissionSentAgainWhileTheFirstIsUnderWayIsReplayedNeverRefusedAsADuplicate() throws Exception {
        // A client that got no answer in time sends the same lead under the same key again: whichever
        // attempt stores it, every other one answers its answer, even one that finds the person
        // claimed by it (committed after that attempt looked the key up), never 409 duplicate-lead.
        for (int round = 0; round < 5; round++) {
            Map<String, Object> lead = lead();
            String key = "lead-" + UUID.randomUUID();
            int n = 6;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    var r = submit("pub-retry", key, lead);
                    return r.statusCode() + " " + (r.statusCode() == 201 ? r.jsonPath().getString("id") : r.asString());
                }));
            }
            go.countDown();
            List<String> got = new ArrayList<>();
            for (Future<String> f : answers) {
                got.add(f.get());
            }
            pool.shutdown();
            assertEquals(1, got.stream().distinct().count(), "answers " + got);
            assertTrue(got.get(0).startsWith("201 "), "answers " + got);
            assertEquals(1, count("select count(*) from lead where idempotency_key = ?", key));
        }
    }

    @Test
    void onlyPublishersSubmit() {
        as("admin-1", "admin").header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(lead()).post("/v1/leads").then().statusCode(403);
        io.restassured.RestAssured.given().header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(lead()).post("/v1/leads").then().statusCode(401);
    }

    @Test
    void commentsAreOptionalAndAbsentInTheAnswerWhenUnsold() {
        ThirdParties.BUYERS.clear();
        eligible.invalidate();
        Map<String, Object> lead = lead();
        lead.remove("comments");
        submit("pub-1", lead).then().statusCode(201).body("status", equalTo("UNSOLD")).body("price", nullValue())
                .body("buyerId", nullValue()).body("reason", equalTo("no-eligible-buyer"));
    }

    @Test
    void commentsTheSanitizerExpandsAreStoredEscapedWithinTheColumnAndNeverAnswer500() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("&".repeat(2000), "&amp;".repeat(2000));
        expected.put("{".repeat(2000), "&#123;".repeat(2000));
        expected.put("{{", "&#123;&#123;");
        expected.put("{{7*7}}", "&#123;{7*7}}");
        expected.put("price {", "price &#123;");
        expected.put("<".repeat(2000), "&lt;".repeat(2000));
        expected.put("\"".repeat(2000), "&#34;".repeat(2000));
        expected.put("\uFE60".repeat(2000), "&#xfe60;".repeat(2000)); // the widest escape: 8 characters for 1
        expected.put("\uD83D\uDE00".repeat(1000), "&#x1f600;".repeat(1000));
        expected.put("Café ☀ 日本語 " + "é".repeat(1980), "Café ☀ 日本語 " + "é".repeat(1980));
        expected.put("<b>bold</b> & {{x}}", "bold &amp; &#123;{x}}");
        for (Map.Entry<String, String> c : expected.entrySet()) {
            String label = c.getKey().substring(0, Math.min(12, c.getKey().length())) + "... (" + c.getKey().length() + ")";
            String id = submit("pub-1", lead("comments", c.getKey())).then().statusCode(201).extract().path("id");
            String stored = text("select comments from lead where id = ?::uuid", id);
            assertEquals(c.getValue(), stored, label);
        }
        // One more than the limit as sent is refused, naming the field.
        submit("pub-1", lead("comments", "&".repeat(2001))).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("comments"));
        // The column admits the widest escape of the longest comment (the CHECK and the code agree).
        String check = text("select pg_get_constraintdef(oid) from pg_constraint where conname = 'lead_comments_check'");
        assertTrue(check.contains("<= " + LeadText.STORED_COMMENTS_MAX), check);
    }
}
