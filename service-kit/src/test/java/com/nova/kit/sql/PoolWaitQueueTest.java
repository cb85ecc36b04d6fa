package com.nova.kit.sql;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the wait queue full (here: no room to wait at all), a request is refused with the same busy 503. */
@QuarkusTest
@KitTest
@TestProfile(PoolWaitQueueTest.NoRoomToWait.class)
class PoolWaitQueueTest {

    public static class NoRoomToWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "1",
                    "kit.database.acquire-timeout", "30s",
                    "kit.database.max-wait-queue", "0",
                    "kit.background.enabled", "false");
        }
    }

    @Test
    void aFullWaitQueueAnswersBusyWithoutWaitingForTheTimeout() {
        CompletableFuture<Integer> holder = CompletableFuture.supplyAsync(
                () -> given().queryParam("ms", 4000).get("/probe/db/hold").statusCode());
        // The acquire timeout is 30 s: a 503 inside this wait can only come from the full queue.
        Awaitility.await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> given().get("/probe/db/now").then()
                .statusCode(503).header("Retry-After", "1").body("type", equalTo("urn:nova:problem:busy")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(holder::isDone);
        given().get("/probe/db/now").then().statusCode(200);
    }
}
