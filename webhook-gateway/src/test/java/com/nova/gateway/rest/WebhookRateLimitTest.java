package com.nova.gateway.rest;

import static com.nova.gateway.GatewayFixtures.PURCHASE_SECRET;
import static com.nova.gateway.GatewayFixtures.now;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.gateway.GatewayTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Each source has its own budget per sender address; spending one does not touch another. */
@QuarkusTest
@TestProfile(WebhookRateLimitTest.TightPurchases.class)
@GatewayTest
class WebhookRateLimitTest {

    public static class TightPurchases implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kit.rate-limit.classes.webhooks-purchases.limit", "3",
                    "kit.rate-limit.classes.webhooks-purchases.period", "1M");
        }
    }

    @Test
    void aSourceOverItsBudgetGets429WithRetryAfterWhileOthersAreServed() {
        for (int i = 0; i < 3; i++) {
            SquareAndPurchaseWebhookTest.purchase(SquareAndPurchaseWebhookTest.purchase("tx-rl-" + UUID.randomUUID(),
                    now(), "driver-rl"), PURCHASE_SECRET).then().statusCode(200);
        }
        SquareAndPurchaseWebhookTest.purchase(SquareAndPurchaseWebhookTest.purchase("tx-rl-" + UUID.randomUUID(),
                now(), "driver-rl"), PURCHASE_SECRET).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:nova:problem:rate-limited"));
        StripeWebhookTest.send(StripeWebhookTest.paymentIntent("evt_" + UUID.randomUUID(), "pi_rl_" + UUID.randomUUID()
                .toString().replace("-", ""), "driver-rl", 100)).then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }
}
