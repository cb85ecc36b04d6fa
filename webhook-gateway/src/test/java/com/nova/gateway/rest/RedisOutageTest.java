package com.nova.gateway.rest;

import static com.nova.gateway.GatewayFixtures.withSourceEventId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.nova.gateway.GatewayTest;
import com.nova.kit.testing.PrivateRedis;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The gateway against a Redis of its own that this test stops and starts: while it is down a
 * genuine delivery answers 503 and nothing is marked as forwarded, so the provider's retry after
 * the outage is forwarded, once.
 */
@QuarkusTest
@TestProfile(RedisOutageTest.OwnRedis.class)
@GatewayTest
class RedisOutageTest {

    static final int PORT = 6393;

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + PORT, "quarkus.redis.timeout", "2s");
        }
    }

    @Inject
    RedisDataSource redis;

    private PrivateRedis server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.kill();
        }
    }

    @Test
    void aDeliveryDuringAnOutageIs503AndItsRetryIsForwardedOnce() throws Exception {
        String pi = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String body = StripeWebhookTest.paymentIntent("evt_" + UUID.randomUUID(), pi, "driver-outage", 4200);

        StripeWebhookTest.send(body).then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5").body("type", equalTo("urn:nova:problem:forwarding-unavailable"));

        server = new PrivateRedis(PORT, false).start();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> StripeWebhookTest.send(body).statusCode() == 200);
        StripeWebhookTest.send(body).then().statusCode(200).body("status", equalTo("duplicate"));
        assertEquals(1, withSourceEventId(redis, "wallet.events", pi).size());
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("gateway_forward_failures_total"));
    }
}
