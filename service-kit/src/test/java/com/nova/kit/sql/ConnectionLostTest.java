package com.nova.kit.sql;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A request whose database session is cut off under it (as in a PostgreSQL restart or a failover,
 * here by pg_terminate_backend on its own backend, so the shared server stays up) gets a 503 with
 * Retry-After that says to send it again, never a 500; the pool drops the dead connection and the
 * next request is served.
 */
@QuarkusTest
@KitTest
class ConnectionLostTest {

    @Test
    void aRequestWhoseSessionIsTerminatedGetsARetryable503AndThePoolRecovers() {
        given().get("/probe/db/now").then().statusCode(200);
        HeldConnection held = HeldConnection.take();
        Response answer = held.terminate();

        assertEquals(503, answer.statusCode(), answer.asString());
        answer.then()
                .header("Retry-After", "2")
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:unavailable"))
                .body("detail", equalTo("The service cannot reach a system it depends on right now; "
                        + "send the same request again (with the same Idempotency-Key)"));
        given().get("/probe/db/now").then().statusCode(200);
    }
}
