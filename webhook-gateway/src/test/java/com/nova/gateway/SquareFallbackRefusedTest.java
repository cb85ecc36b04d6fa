package com.nova.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.kit.testing.SuiteTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** What prod does by default: a shared secret is configured but the fallback is not allowed. */
@QuarkusTest
@TestProfile(SquareFallbackRefusedTest.FallbackRefused.class)
@QuarkusTestResource(value = SuiteTestResource.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
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
