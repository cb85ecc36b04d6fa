package com.nova.gateway.rest;

import static com.nova.gateway.GatewayFixtures.STRIPE_SECRET;
import static com.nova.gateway.GatewayFixtures.now;
import static com.nova.gateway.GatewayFixtures.stripeHeader;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.gateway.GatewayTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Limits key on the real sender: behind the ingress (a trusted proxy) on the address it forwards
 * for, and, for deliveries that verified, on the provider account as well. Junk traffic from one
 * address spends only that address's budget, never a real Stripe account's.
 */
@QuarkusTest
@TestProfile(WebhookSenderLimitsTest.BehindTheIngress.class)
@GatewayTest
class WebhookSenderLimitsTest {

    public static class BehindTheIngress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kit.trusted-proxies", "127.0.0.1",
                    "kit.rate-limit.classes.webhooks-stripe.limit", "5",
                    "kit.rate-limit.classes.webhooks-account.limit", "3");
        }
    }

    private static Response from(String address, String body, String signature) {
        return given().header("X-Forwarded-For", address).contentType("application/json")
                .header("Stripe-Signature", signature).body(body).post("/webhooks/stripe");
    }

    private static String event(String account) {
        return StripeWebhookTest.paymentIntent("evt_" + UUID.randomUUID(), "pi_" + UUID.randomUUID().toString().replace("-", ""),
                "driver-lim", 100).replaceFirst("\\{\"id\"", "{\"account\":\"" + account + "\",\"id\"");
    }

    @Test
    void junkFromOneAddressCannotStarveRealDeliveriesFromAnother() {
        String attacker = "203.0.113." + (1 + (int) (Math.random() * 200));
        String stripe = "198.51.100." + (1 + (int) (Math.random() * 200));
        String junk = "{\"id\":\"evt_junk\",\"type\":\"payment_intent.succeeded\"}";
        for (int i = 0; i < 5; i++) {
            from(attacker, junk, "t=1,v1=00").then().statusCode(401);
        }
        from(attacker, junk, "t=1,v1=00").then().statusCode(429);
        // The attacker's forged X-Forwarded-For entries to the left are not believed either.
        from("198.51.100.250, " + attacker, junk, "t=1,v1=00").then().statusCode(429);
        String body = event("acct_" + UUID.randomUUID().toString().substring(0, 8));
        from(stripe, body, stripeHeader(body, STRIPE_SECRET, now())).then().statusCode(200)
                .body("status", equalTo("forwarded"));
    }

    @Test
    void eachProviderAccountHasItsOwnBudgetForVerifiedDeliveries() {
        String busy = "acct_" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            String body = event(busy);
            from("192.0.2." + (10 + i), body, stripeHeader(body, STRIPE_SECRET, now())).then()
                    .statusCode(200);
        }
        String over = event(busy);
        from("192.0.2.20", over, stripeHeader(over, STRIPE_SECRET, now())).then().statusCode(429)
                .body("type", equalTo("urn:nova:problem:rate-limited"));
        String other = event("acct_" + UUID.randomUUID().toString().substring(0, 8));
        from("192.0.2.21", other, stripeHeader(other, STRIPE_SECRET, now())).then().statusCode(200);
    }
}
