package com.nova.suite;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

import io.restassured.http.ContentType;

/**
 * Through the real processes: a Stripe webhook signed like Stripe signs it reaches the gateway,
 * travels on wallet.events and becomes a grant in the wallet, once however often it is delivered;
 * a buyer created in buyer-registry signs an outcome webhook the gateway verifies with the secret
 * it fetches from the registry under its service token.
 */
@ExtendWith(RunningSuite.class)
class PurchaseToGrantTest {

    private static String stripeSignature(String body, long t) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(RunningSuite.STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSignedPurchaseDeliveredThreeTimesGrantsOnce() throws Exception {
        String driver = "driver-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String pi = "pi_e2e_" + UUID.randomUUID().toString().replace("-", "");
        long t = Instant.now().getEpochSecond();
        String body = """
                {"id":"evt_e2e_%s","object":"event","type":"payment_intent.succeeded","created":%d,
                 "data":{"object":{"id":"%s","object":"payment_intent","amount":4250,"amount_received":4250,"currency":"usd",
                 "status":"succeeded","metadata":{"driver_id":"%s","merchant_id":"merchant-e2e"}}}}
                """.formatted(UUID.randomUUID(), t, pi, driver);
        for (int i = 0; i < 3; i++) {
            given().baseUri(RunningSuite.url("webhook-gateway")).contentType(ContentType.JSON)
                    .header("Stripe-Signature", stripeSignature(body, Instant.now().getEpochSecond()))
                    .body(body).post("/webhooks/stripe").then().statusCode(200)
                    .body("status", equalTo(i == 0 ? "forwarded" : "duplicate"));
        }
        String token = TestTokens.bearer(driver, "driver");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(RunningSuite.url("wallet-service"))
                .header("Authorization", token).get("/v1/wallets/me").then().statusCode(200).extract().jsonPath()
                .getLong("balance") == 42);
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> given()
                .baseUri(RunningSuite.url("wallet-service")).header("Authorization", token).get("/v1/wallets/me")
                .then().extract().jsonPath().getLong("balance") == 42);
        assertEquals(1, given().baseUri(RunningSuite.url("wallet-service"))
                .header("Authorization", TestTokens.bearer("ops", "admin")).get("/v1/wallets/" + driver + "/transactions")
                .then().statusCode(200).extract().jsonPath().getList("items").size());
    }

    @Test
    void aBuyerOutcomeIsVerifiedWithTheSecretFromTheRegistry() throws Exception {
        var created = given().baseUri(RunningSuite.url("buyer-registry")).header("Authorization", TestTokens.bearer("ops", "admin"))
                .contentType(ContentType.JSON).body(Map.of("name", "E2E Buyer", "verticals", java.util.List.of("solar"),
                        "states", java.util.List.of("CA"), "bidAmount", "12.00", "deliveryUrl", "http://127.0.0.1:9/leads",
                        "authConfig", Map.of("type", "bearer", "token", "tok_e2e_0123456789abcdef")))
                .post("/v1/buyers").then().statusCode(201).extract().jsonPath();
        String buyer = created.getString("id");
        String secret = created.getString("webhookSecret");
        String msg = "msg_e2e_" + UUID.randomUUID().toString().replace("-", "");
        long t = Instant.now().getEpochSecond();
        String body = "{\"type\":\"lead.accepted\",\"leadId\":\"" + UUID.randomUUID() + "\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String sig = "v1," + java.util.Base64.getEncoder().encodeToString(
                mac.doFinal((msg + "." + t + "." + body).getBytes(StandardCharsets.UTF_8)));
        // The gateway learns of a new buyer from buyers.events; until that entry arrives it reloads
        // its id list on a miss at most every 30 s (made-up ids must not flood the registry), so a
        // delivery racing the event is refused and its retry accepted. A Standard Webhooks sender
        // retries the same id, timestamp and signature; so does this one, and only a 200 ends it.
        // (The 401 of that race and of a bad signature look alike on purpose: the last answer is kept
        // so a timeout here shows what the gateway said.)
        var last = new java.util.concurrent.atomic.AtomicReference<String>("no answer yet");
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> accepted;
        try {
            accepted = Awaitility.await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(45))
                    .until(() -> given().baseUri(RunningSuite.url("webhook-gateway")).contentType(ContentType.JSON)
                            .header("webhook-id", msg).header("webhook-timestamp", Long.toString(t))
                            .header("webhook-signature", sig).body(body).post("/webhooks/buyers/" + buyer).then().extract(),
                            r -> {
                                last.set(r.statusCode() + " " + r.asString());
                                assertEquals(r.statusCode() == 200 ? 200 : 401, r.statusCode(), () -> r.asString());
                                return r.statusCode() == 200;
                            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the gateway never accepted the new buyer's signed outcome; its last answer: " + last.get(), e);
        }
        assertEquals("forwarded", accepted.path("status"));
        // The registry audited the gateway's read of the secrets, under the gateway's service identity.
        given().baseUri(RunningSuite.url("buyer-registry")).header("Authorization", TestTokens.bearer("ops", "admin"))
                .queryParam("action", "buyer.webhook-secrets.read").queryParam("target", "buyer:" + buyer)
                .get("/v1/buyers/audit").then().statusCode(200).body("items[0].actor", equalTo("webhook-gateway"));
    }
}
