package com.nova.suite;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.nova.kit.testing.DevIdentity;
import com.nova.kit.testing.RunningSuite;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * buyer-registry's credential keyset rotates while deliveries keep decrypting buyers'
 * credentials, with deploy/ops/rotate-buyer-keyset.sh on the keyset file the service re-reads: a
 * new primary, every credential and webhook secret re-encrypted under it (the script waits until
 * the service reports the file's primary), then the old key retired. Throughout, every lead sold
 * was delivered with its buyer's own credentials, every credentials read buyer-registry answered
 * was a 200; afterwards the keyset holds the new key alone, and every buyer's credentials and
 * webhook secret still decrypt, as the peers read them.
 */
@Order(ProvingGround.ORDER)
class BuyerKeysetRotationTest {

    @RegisterExtension
    static final RunningSuite SUITE = ProvingGround.suite();

    private static final String SCRIPT = "deploy/ops/rotate-buyer-keyset.sh";

    @Test
    void theKeysetRotatesWhileDeliveriesDecryptCredentialsAndNoneFails() throws Exception {
        String keyset = ProvingGround.KEYSET.toString();
        String url = RunningSuite.url("buyer-registry");
        Map<String, String> admin = Map.of("ADMIN_TOKEN", ProvingGround.admin().substring("Bearer ".length()));
        // The winner of every lead, and buyers who never win, each with credentials and a webhook secret of its own.
        String winner = "keyset-winner";
        Map<String, String> credentials = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String name : List.of(winner, "keyset-other-1", "keyset-other-2", "keyset-other-3")) {
            String credential = "keyset-token-" + name + "-0123456789";
            JsonPath created = given().baseUri(url).header("Authorization", ProvingGround.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", name, "verticals", List.of("home_insurance"), "states", List.of("CA"),
                            "bidAmount", name.equals(winner) ? "40.00" : "10.00", "deliveryUrl", ProvingGround.BUYERS.url(name),
                            "authConfig", Map.of("type", "bearer", "token", credential)))
                    .post("/v1/buyers").then().statusCode(201).extract().jsonPath();
            credentials.put(name, credential);
            ids.put(name, created.getString("id"));
            secrets.put(name, created.getString("webhookSecret"));
        }
        String oldPrimary = primary(OpsScripts.run(Map.of(), SCRIPT, "show", keyset).ok().lines());
        long start = System.currentTimeMillis();
        String publisher = ProvingGround.IDP.bearer("keyset-publisher", "publisher");
        Traffic leads = Traffic.start(1, 200, seq -> {
            var r = given().baseUri(RunningSuite.url("auction-service")).header("Authorization", publisher)
                    .header("Idempotency-Key", "keyset-" + seq + "-" + System.nanoTime()).contentType(ContentType.JSON)
                    .body(ProvingGround.lead("home_insurance")).post("/v1/leads");
            // The lead's id as the detail when it was taken, the answer otherwise.
            boolean taken = r.statusCode() == 201;
            return new Traffic.Outcome(seq, System.currentTimeMillis(), "lead " + (taken ? r.jsonPath().getString("status") : r.asString()),
                    null, r.statusCode(), taken ? r.jsonPath().getString("id") : r.asString());
        });
        String newPrimary;
        long retired;
        try {
            awaitDeliveries(leads, winner, start, 3);

            // 1. A new primary; the old key still decrypts.
            List<String> rotated = OpsScripts.run(Map.of(), SCRIPT, "rotate", keyset).ok().lines();
            newPrimary = primary(rotated);
            assertTrue(!newPrimary.equals(oldPrimary) && rotated.contains("key " + oldPrimary), rotated.toString());
            long rotatedAt = System.currentTimeMillis();
            awaitDeliveries(leads, winner, rotatedAt, 3);

            // 2. Re-encrypt everything under it, once the service reports the new primary.
            OpsScripts.Run reencrypted = OpsScripts.run(admin, SCRIPT, "reencrypt", keyset, url).ok();
            assertTrue(reencrypted.out().contains("every row is under key " + newPrimary), reencrypted.out() + reencrypted.err());
            // A buyer written after the rotation is encrypted under the new key, and is no exception to what follows.
            String late = "keyset-late";
            JsonPath created = given().baseUri(url).header("Authorization", ProvingGround.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", late, "verticals", List.of("home_insurance"), "states", List.of("CA"), "bidAmount", "5.00",
                            "deliveryUrl", ProvingGround.BUYERS.url(late), "authConfig", Map.of("type", "bearer", "token", "keyset-token-late-0123")))
                    .post("/v1/buyers").then().statusCode(201).extract().jsonPath();
            credentials.put(late, "keyset-token-late-0123");
            ids.put(late, created.getString("id"));
            secrets.put(late, created.getString("webhookSecret"));
            long reencryptedAt = System.currentTimeMillis();
            awaitDeliveries(leads, winner, reencryptedAt, 3);

            // 3. Retire the old key: the script re-encrypts once more and refuses unless nothing is left under it.
            List<String> after = OpsScripts.run(admin, SCRIPT, "retire", keyset, url).ok().lines();
            assertEquals(List.of("key " + newPrimary + " primary"), after.subList(after.size() - 1, after.size()), after.toString());
            assertEquals(List.of("key " + newPrimary + " primary"), OpsScripts.run(Map.of(), SCRIPT, "show", keyset).ok().lines());
            // The service re-reads the retired file (a re-encryption reloads it at once) and still finds nothing to do.
            OpsScripts.Run check = OpsScripts.run(admin, SCRIPT, "reencrypt", keyset, url).ok();
            assertTrue(check.err().contains("\"remaining\":0") && check.err().contains("\"unreadable\":0"), check.err());
            retired = System.currentTimeMillis();
            awaitDeliveries(leads, winner, retired, 5);
        } finally {
            leads.close();
        }

        // Every lead sold and was delivered to the winner with its own credentials, across the whole rotation.
        List<Traffic.Outcome> outcomes = leads.outcomes();
        assertEquals(Map.of("lead SOLD", (long) outcomes.size()),
                outcomes.stream().collect(Collectors.groupingBy(Traffic.Outcome::label, Collectors.counting())));
        Set<String> sold = outcomes.stream().map(Traffic.Outcome::detail).collect(Collectors.toSet());
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> delivered(winner, 0).containsAll(sold));
        assertTrue(ProvingGround.BUYERS.deliveries(winner).stream().allMatch(d -> ("Bearer " + credentials.get(winner)).equals(d.authorization())),
                "every delivery carried the winner's credentials");
        // Every credentials read auction-service made was answered, none failed to decrypt.
        List<RecordingProxy.Call> reads = ProvingGround.REGISTRY.calls().stream()
                .filter(c -> c.atMillis() >= start && c.path().endsWith("/delivery")).toList();
        assertTrue(reads.size() >= sold.size(), reads.size() + " reads for " + sold.size() + " leads");
        assertTrue(reads.stream().allMatch(c -> c.status() == 200), "reads: " + reads.stream().filter(c -> c.status() != 200).toList());

        // Under the new key alone, every buyer's credentials and webhook secret decrypt, read as the peers read them.
        String auction = "Bearer " + DevIdentity.serviceToken(ProvingGround.IDP.dir(), DevIdentity.DEFAULT_ISSUER,
                DevIdentity.DEFAULT_AUDIENCE, "auction-service", 300);
        String gateway = "Bearer " + DevIdentity.serviceToken(ProvingGround.IDP.dir(), DevIdentity.DEFAULT_ISSUER,
                DevIdentity.DEFAULT_AUDIENCE, "webhook-gateway", 300);
        for (Map.Entry<String, String> buyer : ids.entrySet()) {
            given().baseUri(url).header("Authorization", auction).get("/internal/buyers/" + buyer.getValue() + "/delivery").then()
                    .statusCode(200).body("authConfig.token", equalTo(credentials.get(buyer.getKey())));
            List<String> valid = given().baseUri(url).header("Authorization", gateway).get("/internal/buyers/" + buyer.getValue()
                    + "/webhook-secrets").then().statusCode(200).extract().jsonPath().getList("secrets.secret", String.class);
            assertTrue(valid.contains(secrets.get(buyer.getKey())), buyer.getKey() + ": " + valid);
        }
    }

    private static String primary(List<String> show) {
        return show.stream().filter(l -> l.endsWith(" primary")).map(l -> l.split(" ")[1]).findFirst()
                .orElseThrow(() -> new AssertionError("no primary in " + show));
    }

    /** Lead ids the buyer's endpoint accepted (answered 200) since {@code since}. */
    private static Set<String> delivered(String buyer, long since) {
        return ProvingGround.BUYERS.deliveries(buyer).stream().filter(d -> d.answered() == 200 && d.atMillis() >= since)
                .map(BuyerEndpoint.Delivery::idempotencyKey).collect(Collectors.toSet());
    }

    private static void awaitDeliveries(Traffic leads, String buyer, long since, int n) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> delivered(buyer, since).size() >= n);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("leads: " + JwtKeyRotationTest.summary(leads.outcomes()) + "\nregistry calls: "
                    + ProvingGround.REGISTRY.calls().stream().filter(c -> c.atMillis() >= since).map(c -> c.path() + " " + c.status()).toList(), e);
        }
    }
}
