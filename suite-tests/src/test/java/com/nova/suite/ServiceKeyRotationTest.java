package com.nova.suite;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.nova.kit.testing.DevIdentity;
import com.nova.kit.testing.RunningSuite;

import io.restassured.http.ContentType;

/**
 * auction-service's service-token key rotates while it keeps calling buyer-registry's internal
 * endpoints (the eligible buyers of each lead, the credentials of each delivery), with
 * deploy/ops/rotate-service-key.sh on the identity provider's keys and buyer-registry rolled out
 * as a Deployment would be (a new instance ready before the old one stops, behind a stable
 * address that records every call on the wire): the new key is published and trusted next to
 * the old one (KIT_SERVICE_TOKEN_TRUSTED_KEYS lists both of auction-service's kids), auction-service
 * switches to it at its next token without a restart, then the old pair and key are retired.
 * Every call auction-service made was answered, none with 401 or 403, under the old kid before the
 * switch and the new one after; every lead sold and was delivered; a token under the retired key is
 * refused afterwards.
 */
@Order(ProvingGround.ORDER)
class ServiceKeyRotationTest {

    @RegisterExtension
    static final RunningSuite SUITE = ProvingGround.suite();

    private static final String SCRIPT = "deploy/ops/rotate-service-key.sh";
    private static final String TRUSTED = "KIT_SERVICE_TOKEN_TRUSTED_KEYS";
    private static final String AUCTION = "auction-service";

    @Test
    void auctionServicesKeyRotatesWhileItKeepsCallingBuyerRegistry() throws Exception {
        Path dir = ProvingGround.IDP.dir();
        String buyerName = "svc-rotation-mortgage";
        String credential = "svc-rotation-token-0123456789";
        ProvingGround.createBuyer(buyerName, "mortgage", "CA", "25.00", credential);
        String oldKid = DevIdentity.serviceKid(dir, AUCTION);
        Path oldKeyCopy = ProvingGround.DIR.resolve("auction-service-retired-private.pem");
        Files.copy(DevIdentity.servicePrivateKey(dir, AUCTION), oldKeyCopy, StandardCopyOption.REPLACE_EXISTING);
        PrivateKey oldKey = DevIdentity.readPrivateKey(oldKeyCopy);
        long start = System.currentTimeMillis();
        String publisher = ProvingGround.IDP.bearer("svc-rotation-publisher", "publisher");

        Traffic leads = Traffic.start(1, 250, seq -> {
            var r = given().baseUri(RunningSuite.url(AUCTION)).header("Authorization", publisher)
                    .header("Idempotency-Key", "svc-rotation-" + seq + "-" + System.nanoTime()).contentType(ContentType.JSON)
                    .body(ProvingGround.lead("mortgage")).post("/v1/leads");
            // The lead's id as the detail when it was taken, the answer otherwise.
            boolean taken = r.statusCode() == 201;
            return new Traffic.Outcome(seq, System.currentTimeMillis(), "lead " + (taken ? r.jsonPath().getString("status") : r.asString()),
                    null, r.statusCode(), taken ? r.jsonPath().getString("id") : r.asString());
        });
        try {
            // auction-service calls buyer-registry under its current key: eligible buyers and each delivery's credentials.
            awaitCalls(leads, start, oldKid);

            // 1. A new key, published in the JWKS and trusted next to the old one: buyer-registry rolled out with both pairs.
            String trustedNow = RunningSuite.environmentOf("buyer-registry").get(TRUSTED);
            List<String> created = OpsScripts.run(Map.of(TRUSTED, trustedNow), SCRIPT, "new", AUCTION, dir.toString()).ok().lines();
            String newKid = created.get(0);
            String trustedBoth = created.get(1);
            assertTrue(pairs(trustedBoth).containsAll(Set.of(AUCTION + "=" + oldKid, AUCTION + "=" + newKid)), trustedBoth);
            assertTrue(pairs(trustedBoth).containsAll(pairs(trustedNow)), trustedBoth);
            assertTrue(ProvingGround.IDP.jwks().contains("\"kid\":\"" + newKid + "\""));
            RunningSuite.rollOut("buyer-registry", Map.of(TRUSTED, trustedBoth));
            long bothTrusted = System.currentTimeMillis();
            awaitCalls(leads, bothTrusted, oldKid);

            // 2. auction-service signs with the new key from its next token on (its key files replaced, no restart).
            assertEquals(oldKid, OpsScripts.run(Map.of(), SCRIPT, "activate", AUCTION, dir.toString()).ok().lines().get(0));
            long activated = System.currentTimeMillis();
            awaitCalls(leads, activated, newKid);
            // Its old token is gone: the calls it makes now are all under the new kid.
            long switched = System.currentTimeMillis();
            awaitOrExplain(leads, () -> auctionCalls(switched).size() >= 10
                    && auctionCalls(switched).stream().allMatch(c -> newKid.equals(c.kid())));

            // 3. Retire the old pair and key: buyer-registry rolled out trusting the new kid only.
            List<String> retired = OpsScripts.run(Map.of(TRUSTED, trustedBoth), SCRIPT, "retire", AUCTION, dir.toString(), oldKid).ok()
                    .lines();
            String trustedNew = retired.get(0);
            assertTrue(pairs(trustedNew).contains(AUCTION + "=" + newKid), trustedNew);
            assertTrue(pairs(trustedNew).stream().noneMatch(p -> p.equals(AUCTION + "=" + oldKid)), trustedNew);
            assertTrue(!ProvingGround.IDP.jwks().contains("\"kid\":\"" + oldKid + "\""));
            RunningSuite.rollOut("buyer-registry", Map.of(TRUSTED, trustedNew));
            long retiredAt = System.currentTimeMillis();
            awaitCalls(leads, retiredAt, newKid);
        } finally {
            leads.close();
        }

        // Every call auction-service (and the gateway) made to buyer-registry was answered; none was refused.
        List<RecordingProxy.Call> calls = ProvingGround.REGISTRY.calls().stream().filter(c -> c.atMillis() >= start).toList();
        List<RecordingProxy.Call> refused = calls.stream().filter(c -> c.status() == 401 || c.status() == 403).toList();
        assertTrue(refused.isEmpty(), "refused: " + refused);
        List<RecordingProxy.Call> failed = calls.stream().filter(c -> AUCTION.equals(c.subject()) && c.status() != 200).toList();
        assertTrue(failed.isEmpty(), "auction-service's calls not answered 200: " + failed);
        // Every lead was taken and sold, and every sold lead delivered with the buyer's credentials.
        List<Traffic.Outcome> outcomes = leads.outcomes();
        assertTrue(outcomes.size() >= 10, "leads: " + outcomes.size());
        assertEquals(Map.of("lead SOLD", (long) outcomes.size()),
                outcomes.stream().collect(Collectors.groupingBy(Traffic.Outcome::label, Collectors.counting())));
        Set<String> sold = outcomes.stream().map(Traffic.Outcome::detail).collect(Collectors.toSet());
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> ProvingGround.BUYERS.deliveries(buyerName).stream()
                .filter(d -> d.answered() == 200).map(BuyerEndpoint.Delivery::idempotencyKey).collect(Collectors.toSet()).containsAll(sold));
        assertTrue(ProvingGround.BUYERS.deliveries(buyerName).stream().allMatch(d -> ("Bearer " + credential).equals(d.authorization())));

        // The retired key no longer opens buyer-registry; the new one does.
        String retiredToken = DevIdentity.sign(oldKey, oldKid, DevIdentity.DEFAULT_ISSUER, DevIdentity.DEFAULT_AUDIENCE, AUCTION,
                List.of("service"), 300, Map.of());
        given().baseUri(RunningSuite.url("buyer-registry")).header("Authorization", "Bearer " + retiredToken)
                .queryParam("vertical", "mortgage").get("/internal/buyers/eligible").then().statusCode(401);
        String current = DevIdentity.serviceToken(dir, DevIdentity.DEFAULT_ISSUER, DevIdentity.DEFAULT_AUDIENCE, AUCTION, 300);
        given().baseUri(RunningSuite.url("buyer-registry")).header("Authorization", "Bearer " + current)
                .queryParam("vertical", "mortgage").get("/internal/buyers/eligible").then().statusCode(200);
    }

    /** auction-service's calls to buyer-registry since {@code since}. */
    private static List<RecordingProxy.Call> auctionCalls(long since) {
        return ProvingGround.REGISTRY.calls().stream().filter(c -> c.atMillis() >= since && AUCTION.equals(c.subject())).toList();
    }

    /** Waits until, since {@code since}, auction-service had both kinds of call answered 200 under {@code kid}. */
    private static void awaitCalls(Traffic leads, long since, String kid) {
        awaitOrExplain(leads, () -> {
            List<RecordingProxy.Call> calls = auctionCalls(since);
            return calls.stream().anyMatch(c -> c.path().endsWith("/eligible") && kid.equals(c.kid()) && c.status() == 200)
                    && calls.stream().anyMatch(c -> c.path().endsWith("/delivery") && kid.equals(c.kid()) && c.status() == 200);
        });
    }

    private static void awaitOrExplain(Traffic leads, Callable<Boolean> condition) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(condition);
        } catch (ConditionTimeoutException e) {
            Map<String, Long> calls = ProvingGround.REGISTRY.calls().stream().collect(Collectors.groupingBy(
                    c -> c.subject() + " " + c.kid() + " " + c.path().replaceAll("[0-9a-f-]{36}", "{id}") + " -> " + c.status(),
                    java.util.TreeMap::new, Collectors.counting()));
            throw new AssertionError("calls: " + calls + "\nleads: " + JwtKeyRotationTest.summary(leads.outcomes()), e);
        }
    }

    private static Set<String> pairs(String trustedKeys) {
        return Set.of(trustedKeys.split(",")).stream().map(String::trim).collect(Collectors.toSet());
    }
}
