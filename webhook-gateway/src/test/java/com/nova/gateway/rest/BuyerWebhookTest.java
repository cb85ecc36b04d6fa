package com.nova.gateway.rest;

import static com.nova.gateway.GatewayFixtures.now;
import static com.nova.gateway.GatewayFixtures.standardSignature;
import static com.nova.gateway.GatewayFixtures.withSourceEventId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.gateway.BuyerRegistryStub;
import com.nova.gateway.GatewayTest;
import com.nova.kit.testing.TestRequests;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Buyers' outcome webhooks (Standard Webhooks), with their secrets fetched from buyer-registry
 * (a local stub of its internal endpoint) using this service's token.
 */
@QuarkusTest
@GatewayTest
class BuyerWebhookTest {

    @Inject
    RedisDataSource redis;

    @AfterEach
    void registryUp() {
        BuyerRegistryStub.down = false;
    }

    private static String secret() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return "whsec_" + java.util.Base64.getEncoder().encodeToString(key);
    }

    static Response send(String buyer, String secret, String msgId, long ts, String body) {
        return given().contentType("application/json")
                .header("webhook-id", msgId)
                .header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", standardSignature(secret, msgId, ts, body))
                .body(body).post("/webhooks/buyers/" + buyer);
    }

    @Test
    void aSignedOutcomeIsForwardedOnceToTheAuctionStream() {
        String buyer = UUID.randomUUID().toString();
        String secret = secret();
        BuyerRegistryStub.SECRETS.put(buyer, List.of(secret));
        String lead = UUID.randomUUID().toString();
        String msg = "msg_" + UUID.randomUUID().toString().replace("-", "");
        String body = "{\"type\":\"lead.returned\",\"leadId\":\"" + lead + "\",\"reason\":\"disconnected number\"}";
        send(buyer, secret, msg, now(), body).then().statusCode(200).body("status", equalTo("forwarded"));
        send(buyer, secret, msg, now(), body).then().statusCode(200).body("status", equalTo("duplicate"));
        List<JsonNode> entries = withSourceEventId(redis, "auction.events", msg);
        assertEquals(1, entries.size());
        JsonNode e = entries.get(0);
        assertEquals("lead.returned", e.get("type").asText());
        assertEquals("buyer:" + buyer, e.get("source").asText());
        assertEquals(lead, e.get("subject").asText());
        assertEquals("disconnected number", e.at("/data/reason").asText());
        assertTrue(BuyerRegistryStub.AUTHORIZATIONS.stream().anyMatch(a -> a.startsWith("Bearer ")),
                "the gateway presents a service token to buyer-registry");
    }

    @Test
    void duringARotationOldAndNewSecretsVerifyAndANewSecretIsPickedUpAtOnce() {
        String buyer = UUID.randomUUID().toString();
        String old = secret();
        BuyerRegistryStub.SECRETS.put(buyer, List.of(old));
        String body = "{\"type\":\"lead.accepted\",\"leadId\":\"" + UUID.randomUUID() + "\"}";
        send(buyer, old, "msg_1" + UUID.randomUUID().toString().substring(0, 8), now(), body).then().statusCode(200);
        // Rotated in the registry; the gateway still caches [old] but refreshes on the failing signature.
        String fresh = secret();
        BuyerRegistryStub.SECRETS.put(buyer, List.of(fresh, old));
        send(buyer, fresh, "msg_2" + UUID.randomUUID().toString().substring(0, 8), now(), body).then()
                .statusCode(200).body("status", equalTo("forwarded"));
        send(buyer, old, "msg_3" + UUID.randomUUID().toString().substring(0, 8), now(), body).then()
                .statusCode(200);
        // The old secret is revoked: the registry answers only the new one and announces the change,
        // which drops the gateway's cached copy at once (not at the cache TTL).
        BuyerRegistryStub.SECRETS.put(buyer, List.of(fresh));
        announceChange(buyer);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> send(buyer, old, "msg_4" + UUID.randomUUID().toString().substring(0, 8), now(), body)
                        .statusCode() == 401);
        send(buyer, fresh, "msg_5" + UUID.randomUUID().toString().substring(0, 8), now(), body).then()
                .statusCode(200);
    }

    /** What buyer-registry's outbox writes on buyers.events. */
    private void announceChange(String buyer) {
        com.nova.kit.events.EventEnvelope e = com.nova.kit.events.EventEnvelope.create("buyer.webhook-secret-rotated",
                "buyer-registry", UUID.randomUUID().toString(), java.time.Instant.now(), buyer,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("buyerId", buyer));
        redis.stream(String.class).xadd("buyers.events", publisher.fields(e));
    }

    @Inject
    com.nova.kit.events.EventPublisher publisher;

    @Test
    void unknownBuyersForgedStaleAndMalformedDeliveriesAreRefusedAndRecorded() {
        String buyer = UUID.randomUUID().toString();
        String secret = secret();
        BuyerRegistryStub.SECRETS.put(buyer, List.of(secret));
        String body = "{\"type\":\"lead.converted\",\"leadId\":\"" + UUID.randomUUID() + "\"}";
        send(UUID.randomUUID().toString(), secret, "msg_u1", now(), body).then().statusCode(401);
        send("not-a-uuid", secret, "msg_u2", now(), body).then().statusCode(401);
        send(buyer, secret(), "msg_f1", now(), body).then().statusCode(401);
        send(buyer, secret, "msg_s1", now() - 400, body).then().statusCode(401)
                .body("type", equalTo("urn:nova:problem:webhook-timestamp-out-of-tolerance"));
        send(buyer, secret, "msg_m1", now(), "{\"type\":\"lead.returned\",\"leadId\":\"x1\"}").then()
                .statusCode(400);
        given().contentType("application/json").header("webhook-id", "msg_h1").body(body)
                .post("/webhooks/buyers/" + buyer).then().statusCode(401);
        TestRequests.as("ops", "admin").queryParam("provider", "buyer")
                .queryParam("limit", 200).get("/webhooks/rejections").then().statusCode(200)
                .body("items.reason", org.hamcrest.Matchers.hasItems("unknown_buyer", "bad_signature", "stale",
                        "malformed", "missing_signature"));
    }

    @Test
    void whenTheRegistryIsDownTheBuyerRetriesLater() {
        String buyer = UUID.randomUUID().toString();
        String secret = secret();
        BuyerRegistryStub.SECRETS.put(buyer, List.of(secret));
        BuyerRegistryStub.down = true;
        String msg = "msg_d" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"type\":\"lead.accepted\",\"leadId\":\"" + UUID.randomUUID() + "\"}";
        send(buyer, secret, msg, now(), body).then().statusCode(503)
                .body("type", equalTo("urn:nova:problem:buyer-registry-unavailable"));
        BuyerRegistryStub.down = false;
        send(buyer, secret, msg, now(), body).then().statusCode(200).body("status", equalTo("forwarded"));
        assertEquals(1, withSourceEventId(redis, "auction.events", msg).size());
    }
}
