package com.nova.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nova.gateway.GatewayTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** What prod does by default: a shared secret is configured but the fallback is not allowed. */
@QuarkusTest
@TestProfile(SquareFallbackRefusedTest.FallbackRefused.class)
@GatewayTest
class SquareFallbackRefusedTest {

    public static class FallbackRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.square.signature-keys", "", "gateway.square.fallback-secrets", "square-shared-secret",
                    "gateway.square.allow-shared-secret-fallback", "false");
        }
    }

    @Test
    void deliveriesAreNotAcceptedOnASharedSecret() {
        given().contentType("application/json").header("X-Webhook-Secret", "square-shared-secret")
                .body(SquareFallbackAllowedTest.body()).post("/webhooks/square").then().statusCode(503)
                .body("type", equalTo("urn:nova:problem:webhook-not-configured"));
    }
}
