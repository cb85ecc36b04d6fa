package com.nova.kit.sql;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
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
        CompletableFuture<Integer> holder = CompletableFuture.supplyAsync(
                () -> given().queryParam("ms", 4000).get("/probe/db/hold").statusCode());
        // Once the holder has the only connection, the next request waits 300 ms and is refused.
        Awaitility.await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> given().get("/probe/db/now").then()
                .statusCode(503)
                .header("Retry-After", "1")
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:busy"))
                .body("status", equalTo(503)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(holder::isDone);
        assertEquals(200, holder.join());
        given().get("/probe/db/now").then().statusCode(200);
    }
}
