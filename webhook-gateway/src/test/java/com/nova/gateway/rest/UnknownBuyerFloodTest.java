package com.nova.gateway.rest;

import static com.nova.gateway.GatewayFixtures.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nova.gateway.BuyerRegistryStub;
import com.nova.gateway.GatewayTest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Webhooks for made-up buyer ids cost buyer-registry nothing per request: the gateway knows the
 * registry's ids and reloads them at most once per interval; a buyer announced on buyers.events
 * is known at once.
 */
@QuarkusTest
@TestProfile(UnknownBuyerFloodTest.SlowReload.class)
@GatewayTest
class UnknownBuyerFloodTest {

    public static class SlowReload implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.buyers.known-ids-miss-reload", "1h");
        }
    }

    @Inject
    RedisDataSource redis;

    @Inject
    com.nova.kit.events.EventPublisher publisher;

    @Test
    void aFloodOfUnknownBuyerIdsMakesNoRegistryCallPerRequest() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> BuyerRegistryStub.ID_LIST_CALLS.get() >= 1);
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(key);
        int calls = BuyerRegistryStub.CALLS.get();
        String body = "{\"type\":\"lead.accepted\",\"leadId\":\"" + UUID.randomUUID() + "\"}";
        for (int i = 0; i < 40; i++) {
            BuyerWebhookTest.send(UUID.randomUUID().toString(), secret, "msg_" + i, now(), body).then()
                    .statusCode(401);
        }
        assertTrue(BuyerRegistryStub.CALLS.get() - calls <= 1,
                "at most one reload of the id list, not a call per request: " + (BuyerRegistryStub.CALLS.get() - calls));

        // A buyer created after the last reload is announced by the registry's outbox and known at once.
        String buyer = UUID.randomUUID().toString();
        BuyerRegistryStub.SECRETS.put(buyer, List.of(secret));
        com.nova.kit.events.EventEnvelope created = com.nova.kit.events.EventEnvelope.create("buyer.created",
                "buyer-registry", UUID.randomUUID().toString(), java.time.Instant.now(), buyer,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("buyerId", buyer));
        redis.stream(String.class).xadd("buyers.events", publisher.fields(created));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> BuyerWebhookTest.send(buyer, secret, "msg_new_" + UUID.randomUUID().toString().substring(0, 8),
                        now(), body).statusCode() == 200);
        assertEquals(200, BuyerWebhookTest.send(buyer, secret, "msg_again_" + UUID.randomUUID().toString().substring(0, 8),
                now(), body).statusCode());
    }
}
