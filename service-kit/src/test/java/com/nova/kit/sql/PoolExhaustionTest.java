package com.nova.kit.sql;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With every pooled connection busy, a request gets a prompt, retryable 503 with Retry-After
 * instead of waiting until its client gives up; once a connection is free again, requests succeed.
 */
@QuarkusTest
@KitTest
@TestProfile(PoolExhaustionTest.OneConnection.class)
class PoolExhaustionTest {

    public static class OneConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "1",
                    "kit.database.acquire-timeout", "300ms",
                    "kit.database.max-wait-queue", "8",
                    "kit.background.enabled", "false");
        }
    }

    @Test
    void anExhaustedPoolAnswersABusy503WithRetryAfterAndRecovers() {
        given().get("/probe/db/now").then().statusCode(200);
        HeldConnection held = HeldConnection.take();
        try {
            // The only connection is taken: this request waits its 300 ms and is refused.
            given().get("/probe/db/now").then()
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:nova:problem:busy"))
                    .body("status", equalTo(503));
        } finally {
            held.release();
        }
        given().get("/probe/db/now").then().statusCode(200);
    }
}
