package com.nova.kit.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** In production a Redis outage must not turn rate limits off. */
@QuarkusTest
@TestProfile(RedisOutageProfiles.ProdWithRedisDown.class)
@KitTest
class RateLimitFailsClosedInProdTest {

    @Test
    void redisOutageAnswers503ProblemEvenWithInMemoryConfigured() {
        given().get("/probe/limited").then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:nova:problem:rate-limiter-unavailable"))
                .body("requestId", notNullValue());
        given().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("kit_rate_limit_redis_failures_total{application=\"kit-test\",policy=\"fail-closed\""));
    }
}
