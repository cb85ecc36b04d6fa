package com.nova.gateway.rest;

import static com.nova.gateway.GatewayFixtures.STRIPE_SECRET;
import static com.nova.gateway.GatewayFixtures.now;
import static com.nova.gateway.GatewayFixtures.stripeHeader;
import static com.nova.gateway.GatewayFixtures.withSourceEventId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.gateway.GatewayTest;
import com.nova.kit.testing.TestTokens;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Stripe deliveries end to end: verified, normalized, forwarded once, refused and recorded otherwise. */
@QuarkusTest
@GatewayTest
class StripeWebhookTest {

    @Inject
    RedisDataSource redis;

    static String paymentIntent(String eventId, String pi, String driver, long amount) {
        return """
                {"id":"%s","object":"event","type":"payment_intent.succeeded","created":%d,"livemode":false,
                 "data":{"object":{"id":"%s","object":"payment_intent","amount":%d,"amount_received":%d,"currency":"usd",
                 "status":"succeeded","metadata":{"driver_id":"%s","merchant_id":"merchant-7"}}}}
                """.formatted(eventId, now(), pi, amount, amount, driver);
    }

    static String charge(String eventId, String charge, String pi, String driver, long amount) {
        return """
                {"id":"%s","object":"event","type":"charge.succeeded","created":%d,
                 "data":{"object":{"id":"%s","object":"charge","amount":%d,"amount_captured":%d,"captured":true,
                 "currency":"usd","payment_intent":"%s",
                 "status":"succeeded","metadata":{"driver_id":"%s","merchant_id":"merchant-7"}}}}
                """.formatted(eventId, now(), charge, amount, amount, pi, driver);
    }

    /** A charge as Stripe reports it: authorised {@code amount}, captured {@code captured} so far. */
    static String chargeEvent(String type, String charge, String pi, String driver, long amount, long captured,
            boolean isCaptured) {
        return """
                {"id":"evt_%s","object":"event","type":"%s","created":%d,
                 "data":{"object":{"id":"%s","object":"charge","amount":%d,"amount_captured":%d,"captured":%s,
                 "currency":"usd","payment_intent":"%s","status":"succeeded",
                 "metadata":{"driver_id":"%s","merchant_id":"merchant-7"}}}}
                """.formatted(UUID.randomUUID(), type, now(), charge, amount, captured, isCaptured, pi, driver);
    }

    @Test
    void anAuthorisationEarnsNothingAndTheCaptureCarriesWhatWasCaptured() {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String ch = "ch_" + UUID.randomUUID().toString().replace("-", "");
        // A charger authorises 50.00 (manual capture): no payment yet.
        send(chargeEvent("charge.succeeded", ch, pi, "driver-ev", 5000, 0, false)).then().statusCode(200)
                .body("status", equalTo("ignored"));
        assertEquals(0, withSourceEventId(redis, "wallet.events", pi).size());
        // The session cost 31.40: that is what is captured and what earns.
        send(chargeEvent("charge.captured", ch, pi, "driver-ev", 5000, 3140, true)).then().statusCode(200)
                .body("status", equalTo("forwarded"));
        send(paymentIntent("evt_" + UUID.randomUUID(), pi, "driver-ev", 3140)).then().statusCode(200)
                .body("status", equalTo("already_forwarded"));
        List<JsonNode> entries = withSourceEventId(redis, "wallet.events", pi);
        assertEquals(1, entries.size());
        assertEquals(3140, entries.get(0).at("/data/amountMinor").asLong());
        // A second capture (a larger total) is a new fact for the wallet, not a duplicate.
        send(chargeEvent("charge.captured", ch, pi, "driver-ev", 5000, 4000, true)).then().statusCode(200)
                .body("status", equalTo("forwarded"));
        assertEquals(2, withSourceEventId(redis, "wallet.events", pi).size());
    }

    @Test
    void aCancelledOrExpiredAuthorisationEarnsNothing() {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String canceled = """
                {"id":"evt_%s","object":"event","type":"payment_intent.canceled","created":%d,
                 "data":{"object":{"id":"%s","object":"payment_intent","amount":5000,"amount_received":0,"currency":"usd",
                 "status":"canceled","metadata":{"driver_id":"driver-ev","merchant_id":"merchant-7"}}}}
                """.formatted(UUID.randomUUID(), now(), pi);
        send(canceled).then().statusCode(200).body("status", equalTo("ignored"));
        send(chargeEvent("charge.expired", "ch_" + UUID.randomUUID().toString().replace("-", ""), pi, "driver-ev", 5000, 0,
                false)).then().statusCode(200).body("status", equalTo("ignored"));
        assertEquals(0, withSourceEventId(redis, "wallet.events", pi).size());
    }

    @Test
    void fieldsTheWalletCouldNotStoreAreRefusedAtTheDoor() {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        send(paymentIntent("evt_" + UUID.randomUUID(), pi, "d".repeat(129), 1000)).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("driver id"));
        send(paymentIntent("evt_" + UUID.randomUUID(), pi, "driver 42", 1000)).then().statusCode(400);
        send(paymentIntent("evt_" + UUID.randomUUID(), "pi_" + "x".repeat(130), "driver-42", 1000)).then().statusCode(400);
        send(paymentIntent("evt_" + UUID.randomUUID(), pi, "driver-42", 1000).replace("\"usd\"", "\"xyz\""))
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("currency"));
        assertEquals(0, withSourceEventId(redis, "wallet.events", pi).size());
    }

    static Response send(String body) {
        return send(body, stripeHeader(body, STRIPE_SECRET, now()));
    }

    static Response send(String body, String header) {
        return given().contentType("application/json").header("Stripe-Signature", header).body(body)
                .post("/webhooks/stripe");
    }

    @Test
    void aPaymentBecomesOnePurchaseCompletedOnTheWalletStream() {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        send(paymentIntent("evt_" + UUID.randomUUID(), pi, "driver-42", 1250)).then().statusCode(200)
                .body("status", equalTo("forwarded")).body("entries", equalTo(1));
        List<JsonNode> entries = withSourceEventId(redis, "wallet.events", pi);
        assertEquals(1, entries.size());
        JsonNode e = entries.get(0);
        assertEquals("purchase.completed", e.get("type").asText());
        assertEquals("stripe", e.get("source").asText());
        assertEquals("driver-42", e.get("subject").asText());
        assertEquals(1250, e.at("/data/amountMinor").asLong());
        assertTrue(e.at("/data/amountMinor").isIntegralNumber(), "minor units are an integer, never a float");
        assertEquals("USD", e.at("/data/currency").asText());
        assertEquals("merchant-7", e.at("/data/merchantId").asText());
        assertEquals(pi, e.at("/data/paymentId").asText());
        assertEquals(1, e.get("version").asInt());
        assertTrue(e.hasNonNull("id") && e.hasNonNull("occurredAt") && e.hasNonNull("receivedAt") && e.hasNonNull("requestId"));
    }

    @Test
    void fiftyConcurrentCopiesOfOneDeliveryProduceOneEntry() throws Exception {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String body = paymentIntent("evt_" + UUID.randomUUID(), pi, "driver-50", 999);
        String header = stripeHeader(body, STRIPE_SECRET, now());
        List<CompletableFuture<Integer>> calls = IntStream.range(0, 50)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> send(body, header).statusCode()))
                .toList();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> c : calls) {
            statuses.add(c.get());
        }
        assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
        assertEquals(1, withSourceEventId(redis, "wallet.events", pi).size());
    }

    @Test
    void intentAndChargeEventsOfOnePaymentForwardOnce() {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        send(paymentIntent("evt_a" + UUID.randomUUID(), pi, "driver-1", 500)).then().statusCode(200)
                .body("status", equalTo("forwarded"));
        send(charge("evt_b" + UUID.randomUUID(), "ch_" + UUID.randomUUID(), pi, "driver-1", 500)).then().statusCode(200)
                .body("status", equalTo("already_forwarded"));
        assertEquals(1, withSourceEventId(redis, "wallet.events", pi).size());
    }

    @Test
    void theSameEventRedeliveredIsADuplicate() {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String body = paymentIntent("evt_" + UUID.randomUUID(), pi, "driver-2", 100);
        send(body).then().statusCode(200).body("status", equalTo("forwarded"));
        // A retry a little later, signed anew by Stripe: same event id.
        send(body).then().statusCode(200).body("status", equalTo("duplicate"));
        assertEquals(1, withSourceEventId(redis, "wallet.events", pi).size());
    }

    @Test
    void refundsBecomeOnePurchaseRefundedPerRefund() {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String re = "re_" + UUID.randomUUID().toString().replace("-", "");
        String refund = """
                {"id":"evt_%s","type":"refund.created","created":%d,
                 "data":{"object":{"id":"%s","object":"refund","amount":300,"currency":"eur","payment_intent":"%s","status":"succeeded"}}}
                """.formatted(UUID.randomUUID(), now(), re, pi);
        String chargeRefunded = """
                {"id":"evt_%s","type":"charge.refunded","created":%d,
                 "data":{"object":{"id":"ch_1","object":"charge","amount":1000,"currency":"eur","payment_intent":"%s",
                  "metadata":{"driver_id":"driver-3","merchant_id":"m-3"},
                  "refunds":{"data":[{"id":"%s","amount":300,"currency":"eur","status":"succeeded"}]}}}}
                """.formatted(UUID.randomUUID(), now(), pi, re);
        send(refund).then().statusCode(200).body("status", equalTo("forwarded"));
        send(chargeRefunded).then().statusCode(200).body("status", equalTo("already_forwarded"));
        List<JsonNode> entries = withSourceEventId(redis, "wallet.events", re);
        assertEquals(1, entries.size());
        assertEquals("purchase.refunded", entries.get(0).get("type").asText());
        assertEquals(300, entries.get(0).at("/data/amountMinor").asLong());
        assertEquals(pi, entries.get(0).at("/data/paymentId").asText());
        assertEquals("EUR", entries.get(0).at("/data/currency").asText());
    }

    @Test
    void aPaymentWithoutADriverIsStillForwarded() {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String body = paymentIntent("evt_" + UUID.randomUUID(), pi, "x", 700).replace(",\"driver_id\":\"x\"", "")
                .replace("\"driver_id\":\"x\",", "");
        send(body).then().statusCode(200).body("status", equalTo("forwarded"));
        JsonNode e = withSourceEventId(redis, "wallet.events", pi).get(0);
        assertTrue(e.path("subject").isMissingNode() || e.path("subject").isNull(), e.toString());
    }

    @Test
    void eventTypesWeDoNotUseAreAcknowledgedNotForwarded() {
        String id = "evt_" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\",\"type\":\"customer.created\",\"created\":" + now()
                + ",\"data\":{\"object\":{\"id\":\"cus_1\"}}}";
        send(body).then().statusCode(200).body("status", equalTo("ignored"));
        given().get("/q/metrics").then().body(containsString("gateway_deliveries_total{application=\"webhook-gateway\",outcome=\"ignored\""));
    }

    @Test
    void refusalsAreProblemsThatHelpNoForgerAndAreRecorded() {
        String admin = TestTokens.bearer("ops", "admin");
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String body = paymentIntent("evt_forged_" + UUID.randomUUID(), pi, "driver-9", 100000);
        String expected = stripeHeader(body, STRIPE_SECRET, now());
        send(body, stripeHeader(body, "whsec_guess", now())).then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:webhook-signature-invalid"))
                .body(not(containsString(expected.substring(expected.indexOf("v1=") + 3))))
                .body(not(containsString("whsec_test")));
        send(body, stripeHeader(body, STRIPE_SECRET, now() - 600)).then().statusCode(401)
                .body("type", equalTo("urn:nova:problem:webhook-timestamp-out-of-tolerance"));
        send(body, stripeHeader(body, STRIPE_SECRET, now() + 600)).then().statusCode(401);
        given().contentType("text/plain").header("Stripe-Signature", expected).body(body).post("/webhooks/stripe").then()
                .statusCode(415).contentType("application/problem+json");
        String notJson = "{\"id\":";
        send(notJson).then().statusCode(400).body("type", equalTo("urn:nova:problem:webhook-malformed"));
        String floatAmount = body.replace("\"amount_received\":100000", "\"amount_received\":1000.5");
        send(floatAmount).then().statusCode(400);
        assertEquals(0, withSourceEventId(redis, "wallet.events", pi).size(), "nothing refused was forwarded");

        given().header("Authorization", admin).queryParam("provider", "stripe").queryParam("limit", 200)
                .get("/webhooks/rejections").then().statusCode(200)
                .body("items.reason", org.hamcrest.Matchers.hasItems("bad_signature", "stale", "future",
                        "unsupported_media_type", "malformed"))
                .body("items[0].bodySha256", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"))
                .body("items[0].clientIp", org.hamcrest.Matchers.notNullValue())
                .body(not(containsString("driver-9")));
    }

    @Test
    void oversizedDeliveriesAre413AndRecorded() {
        String big = "{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
        send(big, "t=1,v1=00").then().statusCode(413).contentType("application/problem+json");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> given()
                .header("Authorization", TestTokens.bearer("ops", "admin")).queryParam("reason", "too_large")
                .get("/webhooks/rejections").then().statusCode(200)
                .body("items[0].provider", equalTo("stripe")));
    }
}
