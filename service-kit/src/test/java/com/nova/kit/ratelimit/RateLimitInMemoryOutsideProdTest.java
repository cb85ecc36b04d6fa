package com.nova.kit.ratelimit;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Outside prod, a Redis outage falls back to a per-instance limiter that still limits. */
@QuarkusTest
@TestProfile(RedisOutageProfiles.TestWithRedisDown.class)
@KitTest
class RateLimitInMemoryOutsideProdTest {

    @Test
    void limitsInMemoryWhenRedisIsDown() {
        for (int i = 0; i < 3; i++) {
            given().get("/probe/limited").then().statusCode(200).header("RateLimit-Remaining", Integer.toString(2 - i));
        }
        given().get("/probe/limited").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }
}
