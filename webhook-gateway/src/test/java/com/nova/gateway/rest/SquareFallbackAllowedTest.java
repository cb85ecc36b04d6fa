package com.nova.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.gateway.GatewayTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 *  Without a Square signature key the shared-secret fallback works where it is allowed,
 * with a warning and a metric. {@link SquareFallbackRefusedTest} shows prod's default.
 */
@QuarkusTest
@TestProfile(SquareFallbackAllowedTest.FallbackOnly.class)
@GatewayTest
class SquareFallbackAllowedTest {

    public static class FallbackOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.square.signature-keys", "", "gateway.square.fallback-secrets", "square-shared-secret",
                    "gateway.square.allow-shared-secret-fallback", "true");
        }
    }

    static String body() {
        return SquareAndPurchaseWebhookTest.squarePayment(UUID.randomUUID().toString(), "payment.updated",
                "sqpay-" + UUID.randomUUID(), "COMPLETED", Instant.now());
    }

    @Test
    void theSharedSecretIsCheckedWarnedAboutAndCounted() {
        given().contentType("application/json").header("X-Webhook-Secret", "square-shared-secret").body(body())
                .post("/webhooks/square").then().statusCode(200).body("status", equalTo("forwarded"));
        given().contentType("application/json").header("X-Webhook-Secret", "wrong").body(body())
                .post("/webhooks/square").then().statusCode(401);
        given().get("/q/metrics").then().body(containsString("gateway_square_shared_secret_fallback_total"));
    }
}
