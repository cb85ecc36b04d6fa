package com.nova.kit.sql;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the wait queue full (here: no room to wait at all), a request is refused at once with the same busy 503. */
@QuarkusTest
@KitTest
@TestProfile(PoolWaitQueueTest.NoRoomToWait.class)
class PoolWaitQueueTest {

    public static class NoRoomToWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "1",
                    "kit.database.acquire-timeout", "10m",
                    "kit.database.max-wait-queue", "0",
                    "kit.background.enabled", "false");
        }
    }

    @Test
    void aFullWaitQueueAnswersBusyWithoutWaitingForTheTimeout() {
        HeldConnection held = HeldConnection.take();
        try {
            // The acquire timeout is 10 minutes and the request gives up after one: a 503 can only come from the full queue.
            given().config(io.restassured.RestAssured.config().httpClient(io.restassured.config.HttpClientConfig.httpClientConfig()
                    .setParam("http.socket.timeout", 60_000)))
                    .get("/probe/db/now").then()
                    .statusCode(503).header("Retry-After", "1").body("type", equalTo("urn:nova:problem:busy"));
        } finally {
            held.release();
        }
        given().get("/probe/db/now").then().statusCode(200);
    }
}
