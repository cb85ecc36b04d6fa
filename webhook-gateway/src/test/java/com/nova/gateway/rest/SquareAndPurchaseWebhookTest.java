package com.nova.gateway.rest;

import static com.nova.gateway.GatewayFixtures.PURCHASE_SECRET;
import static com.nova.gateway.GatewayFixtures.SQUARE_KEY;
import static com.nova.gateway.GatewayFixtures.SQUARE_URL;
import static com.nova.gateway.GatewayFixtures.squareSignature;
import static com.nova.gateway.GatewayFixtures.withSourceEventId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.gateway.GatewayFixtures;
import com.nova.gateway.GatewayTest;
import com.nova.kit.testing.TestRequests;
import com.nova.kit.testing.TestTokens;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Square's signed deliveries and the legacy partner hook. */
@QuarkusTest
@GatewayTest
class SquareAndPurchaseWebhookTest {

    @Inject
    RedisDataSource redis;

    static String squarePayment(String eventId, String type, String paymentId, String status, Instant created) {
        return """
                {"merchant_id":"MLSQUARE1","type":"%s","event_id":"%s","created_at":"%s",
                 "data":{"type":"payment","id":"%s","object":{"payment":{"id":"%s","status":"%s","reference_id":"driver-sq",
                 "location_id":"L1","amount_money":{"amount":2599,"currency":"USD"}}}}}
                """.formatted(type, eventId, created, paymentId, paymentId, status);
    }

    static Response square(String body) {
        return given().contentType("application/json")
                .header("x-square-hmacsha256-signature",
                        squareSignature(body, SQUARE_KEY, SQUARE_URL, "HmacSHA256"))
                .body(body).post("/webhooks/square");
    }

    @Test
    void threeEventsOfOneSquarePaymentMakeOnePurchase() {
        String payment = "sqpay-" + UUID.randomUUID();
        Instant now = Instant.now();
        square(squarePayment(UUID.randomUUID().toString(), "payment.created", payment, "APPROVED", now)).then()
                .statusCode(200).body("status", equalTo("ignored"));
        square(squarePayment(UUID.randomUUID().toString(), "payment.updated", payment, "COMPLETED", now)).then()
                .statusCode(200).body("status", equalTo("forwarded"));
        square(squarePayment(UUID.randomUUID().toString(), "payment.updated", payment, "COMPLETED", now)).then()
                .statusCode(200).body("status", equalTo("already_forwarded"));
        List<JsonNode> entries = withSourceEventId(redis, "wallet.events", payment);
        assertEquals(1, entries.size());
        JsonNode e = entries.get(0);
        assertEquals("square", e.get("source").asText());
        assertEquals("driver-sq", e.get("subject").asText());
        assertEquals("MLSQUARE1", e.at("/data/merchantId").asText());
        assertEquals(2599, e.at("/data/amountMinor").asLong());
    }

    @Test
    void squareReplaysAreDuplicatesAndOldEventsAreRefused() {
        String payment = "sqpay-" + UUID.randomUUID();
        String body = squarePayment(UUID.randomUUID().toString(), "payment.updated", payment, "COMPLETED", Instant.now());
        square(body).then().statusCode(200).body("status", equalTo("forwarded"));
        // Square signs no timestamp: the same signed bytes replayed later are caught by the event id.
        square(body).then().statusCode(200).body("status", equalTo("duplicate"));
        String old = squarePayment(UUID.randomUUID().toString(), "payment.updated", "sqpay-" + UUID.randomUUID(),
                "COMPLETED", Instant.now().minus(73, ChronoUnit.HOURS));
        square(old).then().statusCode(401).body("type", equalTo("urn:nova:problem:webhook-timestamp-out-of-tolerance"));
        String future = squarePayment(UUID.randomUUID().toString(), "payment.updated", "sqpay-" + UUID.randomUUID(),
                "COMPLETED", Instant.now().plus(1, ChronoUnit.HOURS));
        square(future).then().statusCode(401);
        given().contentType("application/json").header("x-square-hmacsha256-signature", "AAAA").body(body)
                .post("/webhooks/square").then().statusCode(401)
                .body("type", equalTo("urn:nova:problem:webhook-signature-invalid"));
        // The legacy SHA-1 header is not accepted unless switched on.
        given().contentType("application/json")
                .header("x-square-signature", squareSignature(body, SQUARE_KEY, SQUARE_URL, "HmacSHA1"))
                .body(body).post("/webhooks/square").then().statusCode(401);
        assertEquals(1, withSourceEventId(redis, "wallet.events", payment).size());
    }

    @Test
    void squareRefundsForwardOncePerRefund() {
        String refund = "sqref-" + UUID.randomUUID();
        String body = """
                {"merchant_id":"MLSQUARE1","type":"refund.updated","event_id":"%s","created_at":"%s",
                 "data":{"type":"refund","id":"%s","object":{"refund":{"id":"%s","status":"COMPLETED","payment_id":"sqpay-1",
                 "amount_money":{"amount":500,"currency":"USD"}}}}}
                """.formatted(UUID.randomUUID(), Instant.now(), refund, refund);
        square(body).then().statusCode(200).body("status", equalTo("forwarded"));
        square(body.replaceFirst("\"event_id\":\"[^\"]+\"", "\"event_id\":\"" + UUID.randomUUID() + "\"")).then()
                .statusCode(200).body("status", equalTo("already_forwarded"));
        List<JsonNode> entries = withSourceEventId(redis, "wallet.events", refund);
        assertEquals(1, entries.size());
        assertEquals("purchase.refunded", entries.get(0).get("type").asText());
        assertEquals("sqpay-1", entries.get(0).at("/data/paymentId").asText());
    }

    static String purchase(String tx, long ts, String driver) {
        return """
                {"transaction_id":"%s","ts":%d,%s"merchant_id":"m-legacy","amount_cents":1999,"currency":"usd"}
                """.formatted(tx, ts, driver == null ? "" : "\"driver_id\":\"" + driver + "\",");
    }

    static Response purchase(String body, String secret) {
        return given().contentType("application/json").header("X-Webhook-Secret", secret).body(body)
                .post("/webhooks/purchases");
    }

    @Test
    void legacyPurchasesNeedTheSecretAndAFreshTimestamp() {
        String tx = "tx-" + UUID.randomUUID();
        long now = GatewayFixtures.now();
        purchase(purchase(tx, now, "driver-p"), "wrong").then().statusCode(401)
                .body("type", equalTo("urn:nova:problem:webhook-signature-invalid"));
        given().contentType("application/json").body(purchase(tx, now, "driver-p")).post("/webhooks/purchases").then()
                .statusCode(401);
        purchase(purchase(tx, now - 400, "driver-p"), PURCHASE_SECRET).then().statusCode(401)
                .body("type", equalTo("urn:nova:problem:webhook-timestamp-out-of-tolerance"));
        purchase(purchase(tx, now + 400, "driver-p"), PURCHASE_SECRET).then().statusCode(401);
        purchase("{\"transaction_id\":\"" + tx + "\",\"merchant_id\":\"m\",\"amount_cents\":1}", PURCHASE_SECRET)
                .then().statusCode(400).body("type", equalTo("urn:nova:problem:webhook-malformed"));
        assertEquals(0, withSourceEventId(redis, "wallet.events", tx).size());

        purchase(purchase(tx, now, "driver-p"), PURCHASE_SECRET).then().statusCode(200)
                .body("status", equalTo("forwarded"));
        // The second configured secret verifies too (rotation), and the replay is a duplicate.
        purchase(purchase(tx, now, "driver-p"), "test-purchase-secret-B").then().statusCode(200)
                .body("status", equalTo("duplicate"));
        List<JsonNode> entries = withSourceEventId(redis, "wallet.events", tx);
        assertEquals(1, entries.size());
        assertEquals("purchase", entries.get(0).get("source").asText());
        assertEquals("USD", entries.get(0).at("/data/currency").asText());

        TestRequests.as("ops", "admin").queryParam("provider", "purchase")
                .get("/webhooks/rejections").then().statusCode(200)
                .body("items.reason", org.hamcrest.Matchers.hasItems("bad_signature", "missing_signature", "stale",
                        "future", "malformed"));
    }

    @Test
    void rejectionListingFiltersPagesAndIsForAdminsOnly() {
        for (int i = 0; i < 3; i++) {
            purchase(purchase("tx-page-" + UUID.randomUUID(), GatewayFixtures.now(), null), "nope").then().statusCode(401);
        }
        String admin = TestTokens.bearer("ops", "admin");
        String cursor = given().header("Authorization", admin).queryParam("provider", "purchase")
                .queryParam("reason", "bad_signature").queryParam("limit", 2).get("/webhooks/rejections").then()
                .statusCode(200).body("items.size()", equalTo(2)).extract().path("nextCursor");
        given().header("Authorization", admin).queryParam("provider", "purchase").queryParam("limit", 2)
                .queryParam("cursor", cursor).get("/webhooks/rejections").then().statusCode(200);
        given().header("Authorization", admin).queryParam("provider", "paypal").get("/webhooks/rejections").then()
                .statusCode(400).body("errors[0].field", equalTo("provider"));
        TestRequests.as("d", "driver").get("/webhooks/rejections").then().statusCode(403);
        given().get("/webhooks/rejections").then().statusCode(401);
    }
}
