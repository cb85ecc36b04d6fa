package com.nova.wallet;

import static com.nova.kit.testing.TestRequests.as;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.testing.TestDatabase;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Events as the gateway forwards them, requests as drivers and admins send them, and SQL checks. */
public final class WalletFixtures {

    public static final String DB = "wallet_test";

    private WalletFixtures() {
    }

    public static EventEnvelope purchase(String source, String paymentId, String driver, String merchant, long amountMinor,
            String currency) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("merchantId", merchant).put("amountMinor", amountMinor)
                .put("currency", currency).put("paymentId", paymentId).put("providerEventId", "evt-" + UUID.randomUUID())
                .put("providerEventType", "payment_intent.succeeded");
        return EventEnvelope.create("purchase.completed", source, paymentId, Instant.now(), driver, data);
    }

    public static EventEnvelope refund(String source, String paymentId, String refundId, long amountMinor) {
        return refundIn(source, paymentId, refundId, amountMinor, "USD");
    }

    public static EventEnvelope refundIn(String source, String paymentId, String refundId, long amountMinor, String currency) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("amountMinor", amountMinor).put("currency", currency)
                .put("paymentId", paymentId).put("refundId", refundId);
        return EventEnvelope.create("purchase.refunded", source, refundId, Instant.now(), null, data);
    }

    public static String driver() {
        return "driver-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Response redeem(String driver, String key, String merchant, long amount) {
        return as(driver, "driver").header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("merchantId", merchant, "amount", amount)).post("/v1/wallets/me/redemptions");
    }

    /** Credits {@code points} to the driver's wallet as an admin adjustment (a lot of its own). */
    public static void credit(String driver, long points) {
        as("ops", "admin").header("Idempotency-Key", "credit-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("direction", "CREDIT", "amount", points, "reason", "test credit"))
                .post("/v1/wallets/" + driver + "/adjustments").then().statusCode(201);
    }

    public static Response hold(String driver, String key, String merchant, long amount) {
        return as(driver, "driver").header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("merchantId", merchant, "amount", amount)).post("/v1/wallets/me/holds");
    }

    /** A capture as the merchant the hold was made to (the charger's backend). */
    public static Response capture(String merchant, String driver, String holdId, String key, long amount) {
        return as(merchant, "merchant").header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("amount", amount)).post("/v1/wallets/" + driver + "/holds/" + holdId + "/capture");
    }

    public static io.restassured.path.json.JsonPath wallet(String driver) {
        return as(driver, "driver").get("/v1/wallets/me").then().statusCode(200).extract().jsonPath();
    }

    public static long balance(String driver) {
        return as(driver, "driver").get("/v1/wallets/me").then().statusCode(200).extract().jsonPath().getLong("balance");
    }

    public static Connection db() throws SQLException {
        return TestDatabase.connect(DB);
    }

    public static long count(String sql) {
        return TestDatabase.count(DB, sql);
    }
}
