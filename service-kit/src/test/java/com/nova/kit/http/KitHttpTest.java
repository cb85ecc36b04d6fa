package com.nova.kit.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;
import com.nova.kit.testing.TestRequests;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@KitTest
class KitHttpTest {

    private static final Path LOG = Path.of("target", "test-app.log");

    @Test
    void requestIdFollowsReactiveContinuationsIntoTheLog() throws IOException {
        String id = "trace-" + UUID.randomUUID();
        given().header("X-Request-ID", id).get("/probe/continuation").then()
                .statusCode(200)
                .header("X-Request-ID", id)
                .body("requestId", equalTo(id));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.readAllLines(LOG).stream()
                .anyMatch(l -> l.contains("probe continuation") && l.contains("[req:" + id + "]")));
    }

    @Test
    void logsNeverCarryPiiOrSecrets() throws IOException {
        String id = "pii-" + UUID.randomUUID();
        given().header("X-Request-ID", id).post("/probe/log-pii").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.readString(LOG).contains("delivery failed"));
        String log = Files.readString(LOG);
        for (String secret : new String[] { "john.doe@example.com", "jane.roe@example.org", "4111 1111 1111 1111",
                "eyJhbGciOiJSUzI1NiJ9", "hunter2-secret", "whsec_c2Vj", "sk_live_51AbCd", "abcdefghijklmnopqrstuvwxyz",
                "select * from secrets" }) {
            assertFalse(log.contains(secret), "log leaks " + secret);
        }
        assertTrue(log.contains("customer jo***@*** paid with card ****1111 using token Bearer ***bHVl"), log);
        assertTrue(log.contains("java.lang.IllegalArgumentException: rejected for ja***@***"));
        assertTrue(log.contains("password=[REDACTED]"));
    }

    @Test
    void validationFailuresNameEachField() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"email\":\"not-an-email\",\"amount\":-1,\"tags\":[\"ok\",\" \"]}")
                .post("/probe/orders?copies=9").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:validation-failed"))
                .body("errors.field", hasItems("name", "email", "amount", "copies", "tags[1]"))
                .body("requestId", notNullValue());
    }

    @Test
    void moneyIsParsedExactlyFromNumbersAndStrings() {
        given().contentType(ContentType.JSON).body("{\"name\":\"n\",\"email\":\"a@b.io\",\"amount\":0.10}")
                .post("/probe/orders").then().statusCode(200).body("amount", equalTo("0.10")).body("scale", equalTo("2"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"n\",\"email\":\"a@b.io\",\"amount\":\"12345678901234567890.123456789\"}")
                .post("/probe/orders").then().statusCode(200).body("amount", equalTo("12345678901234567890.123456789"));
    }

    @Test
    void malformedOrUnexpectedBodiesAreProblems() {
        given().contentType(ContentType.JSON).body("{\"name\":").post("/probe/orders").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:malformed-body"));
        given().contentType(ContentType.JSON).body("{\"name\":\"n\",\"email\":\"a@b.io\",\"amount\":1,\"admin\":true}")
                .post("/probe/orders").then()
                .statusCode(400).body("errors[0].field", equalTo("admin"));
        given().contentType(ContentType.JSON).body("{\"name\":\"n\",\"email\":\"a@b.io\",\"amount\":\"ten\"}")
                .post("/probe/orders").then()
                .statusCode(400).body("errors[0].field", equalTo("amount"))
                .body(not(containsString("BigDecimal")));
    }

    @Test
    void httpLevelErrorsAreProblems() {
        given().contentType(ContentType.TEXT).body("hello").post("/probe/orders").then()
                .statusCode(415).contentType("application/problem+json").body("requestId", notNullValue());
        given().delete("/probe/continuation").then()
                .statusCode(405).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"name\":\"" + "x".repeat(70_000) + "\"}").post("/probe/orders")
                .then().statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
    }

    @Test
    void unexpectedFailuresRevealNothingInternal() {
        given().get("/probe/boom").then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:internal-error"))
                .body(not(containsString("IllegalStateException")))
                .body(not(containsString("select")))
                .body(not(containsString("at com.")));
        given().get("/probe/conflict").then()
                .statusCode(409).body("type", equalTo("urn:nova:problem:probe-conflict"))
                .body("errors", nullValue());
    }

    @Test
    void ownershipIsEnforcedInOnePlace() {
        TestRequests.as("driver-a", "driver").get("/probe/owned/driver-a").then()
                .statusCode(200);
        TestRequests.as("driver-b", "driver").get("/probe/owned/driver-a").then()
                .statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:not-found"))
                .body(not(containsString("\"owner\"")));
        TestRequests.as("ops", "admin").get("/probe/owned/driver-a").then()
                .statusCode(200);
    }

    @Test
    void rateLimitAnswers429WithHeadersPerCaller() {
        String ip = "limited-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            TestRequests.as(ip, "driver").get("/probe/limited-by-subject").then()
                    .statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", Integer.toString(2 - i));
        }
        TestRequests.as(ip, "driver").get("/probe/limited-by-subject").then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .header("RateLimit-Remaining", "0")
                .body("type", equalTo("urn:nova:problem:rate-limited"));
        // Another principal has its own budget.
        TestRequests.as(ip + "-other", "driver").get("/probe/limited-by-subject")
                .then().statusCode(200);
    }
}
