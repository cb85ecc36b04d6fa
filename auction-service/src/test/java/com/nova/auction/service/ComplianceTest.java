package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.CERT;
import static com.nova.auction.AuctionFixtures.count;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.auction.AuctionFixtures.text;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;
import com.nova.kit.testing.TestRequests;

import io.quarkus.test.junit.QuarkusTest;

/** TrustedForm and ZIP checks against stubs of the documented APIs: answers, errors, slowness, outages. */
@QuarkusTest
@AuctionServiceTest
class ComplianceTest extends AuctionTestBase {

    static final String BUYER = "6f1c0b7e-0000-4000-8000-0000000000c1";

    @Inject
    HeldLeadRetry held;

    @BeforeEach
    void oneBuyer() {
        ThirdParties.buyer(BUYER, 1, "20.00", 0, List.of("CA", "NY", "TX"), List.of(), null, null, null, "solar");
    }

    @Test
    void trustedFormIsAskedAsItsV4ApiExpects() {
        Map<String, Object> lead = lead();
        String id = submit("pub-1", lead).then().statusCode(201).body("status", equalTo("SOLD")).extract().path("id");
        assertEquals(1, ThirdParties.TF_REQUESTS.size());
        JsonNode request = ThirdParties.TF_REQUESTS.get(0);
        assertEquals(((String) lead.get("email")).toLowerCase(), request.at("/match_lead/email").asText());
        assertTrue(request.at("/match_lead/phone").asText().startsWith("+1415"));
        assertEquals(id, request.at("/retain/reference").asText());
        assertEquals("Nova Leads", request.at("/retain/vendor").asText());
        assertEquals("4.0", ThirdParties.TF_HEADERS.get(0).get("api-version"));
    }

    @Test
    void expiredUnknownOrUnmatchedCertificatesRejectTheLead() {
        for (var c : Map.of("expired", "trustedform-certificate-expired-or-unknown",
                "gone", "trustedform-certificate-expired-or-unknown",
                "nomatch", "trustedform-failed").entrySet()) {
            var lead = lead("trustedFormCertUrl", "https://cert.trustedform.com/" + c.getKey() + "0123456789abcdef0123456789");
            String id = submit("pub-1", lead).then().statusCode(422)
                    .body("status", equalTo("REJECTED")).body("reason", equalTo(c.getValue()))
                    .extract().path("id");
            assertEquals("REJECTED", text("select status from lead where id = ?::uuid", id));
            assertEquals(0, count("select count(*) from auction where lead_id = ?::uuid", id));
            // A rejected lead does not block the person: a corrected submission is not a duplicate.
            var fixed = new java.util.HashMap<>(lead);
            fixed.put("trustedFormCertUrl", CERT);
            submit("pub-1", fixed).then().statusCode(201);
        }
        // Expired certificates are final: not retried.
        ThirdParties.TF_CALLS.set(0);
        submit("pub-1", lead("trustedFormCertUrl", "https://cert.trustedform.com/expired0123456789abcdef0123")).then().statusCode(422);
        assertEquals(1, ThirdParties.TF_CALLS.get());
    }

    @Test
    void theZipMustExistAndLieInTheLeadsState() {
        Map<String, Object> unknownZip = lead("zip", "00000");
        submit("pub-1", unknownZip).then().statusCode(422).body("reason", equalTo("zip-unknown"));
        Map<String, Object> elsewhere = lead("zip", "10001"); // NY
        submit("pub-1", elsewhere).then().statusCode(422).body("reason", equalTo("zip-state-mismatch"));
        Map<String, Object> ny = lead("zip", "10001");
        ny.put("state", "NY");
        submit("pub-1", ny).then().statusCode(201);
    }

    @Test
    void zipAnswersAreCached() {
        submit("pub-1", lead()).then().statusCode(201);
        submit("pub-1", lead()).then().statusCode(201);
        submit("pub-1", lead()).then().statusCode(201);
        assertEquals(1, ThirdParties.RADAR_CALLS.get());
    }

    @Test
    void transientErrorsAreRetried() {
        ThirdParties.tfFailuresLeft.set(2);
        ThirdParties.tfFailureStatus = 503;
        submit("pub-1", lead()).then().statusCode(201).body("status", equalTo("SOLD"));
        assertEquals(3, ThirdParties.TF_CALLS.get());

        ThirdParties.TF_CALLS.set(0);
        ThirdParties.tfFailuresLeft.set(1);
        ThirdParties.tfFailureStatus = 429;
        submit("pub-1", lead()).then().statusCode(201);
        assertEquals(2, ThirdParties.TF_CALLS.get());

        // The connection closed with no answer (a keep-alive connection the provider ended): tried again too.
        ThirdParties.TF_CALLS.set(0);
        ThirdParties.tfClosesLeft.set(1);
        submit("pub-1", lead()).then().statusCode(201).body("status", equalTo("SOLD"));
        assertEquals(2, ThirdParties.TF_CALLS.get());
    }

    @Test
    void aProviderOutageHoldsTheLeadAndItSellsWhenTheProviderIsBack() {
        ThirdParties.tfStatus = 503;
        Map<String, Object> lead = lead();
        String id = submit("pub-1", lead).then().statusCode(202)
                .body("status", equalTo("HELD")).body("reason", equalTo("trustedform-unavailable"))
                .extract().path("id");
        assertEquals(3, ThirdParties.TF_CALLS.get(), "one call and two retries");
        assertEquals(0, count("select count(*) from auction where lead_id = ?::uuid", id));
        // Held, the person stays claimed: a resubmission elsewhere is a duplicate, not a second sale.
        submit("pub-2", lead).then().statusCode(409);

        // Still down at the next check: still held.
        clock.advance(Duration.ofMinutes(1));
        held.runOnce().await().atMost(Duration.ofSeconds(30));
        assertEquals("HELD", text("select status from lead where id = ?::uuid", id));

        ThirdParties.tfStatus = 0;
        clock.advance(Duration.ofMinutes(1));
        held.runOnce().await().atMost(Duration.ofSeconds(30));
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", id));
        assertEquals(1, count("select count(*) from revenue_entry where lead_id = ?::uuid and kind = 'SALE'", id));
        TestRequests.as("pub-1", "publisher").get("/v1/leads/" + id).then().statusCode(200).body("status", equalTo("SOLD"))
                .body("price", equalTo("20.00"));
        // The publisher's retry with the same key answers the current state.
    }

    @Test
    void aSlowProviderTimesOutAndTheLeadIsHeld() {
        ThirdParties.radarDelayMs = 1500; // the test budget is 400 ms per try
        long start = System.nanoTime();
        submit("pub-1", lead()).then().statusCode(202).body("reason", equalTo("zip-unavailable"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
    }

    @Test
    void aHeldLeadThatCannotBeCheckedForADayIsRejected() {
        ThirdParties.radarStatus = 500;
        String id = submit("pub-1", lead()).then().statusCode(202).extract().path("id");
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        held.runOnce().await().atMost(Duration.ofSeconds(30));
        assertEquals("REJECTED", text("select status from lead where id = ?::uuid", id));
        assertEquals("compliance-unverifiable", text("select status_reason from lead where id = ?::uuid", id));
    }

    @Test
    void aRejectedAccountKeyIsAnOutageNotTheLeadsFault() {
        ThirdParties.tfStatus = 401;
        submit("pub-1", lead()).then().statusCode(202).body("reason", equalTo("trustedform-account-refused"));
    }

    @Test
    void buyerRegistryDownHoldsTheLead() {
        ThirdParties.registryDown = true;
        submit("pub-1", lead()).then().statusCode(202).body("reason", equalTo("buyer-registry-unavailable"));
    }
}
