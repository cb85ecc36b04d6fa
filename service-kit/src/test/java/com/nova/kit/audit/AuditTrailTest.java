package com.nova.kit.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;
import com.nova.kit.testing.TestRequests;
import com.nova.kit.testing.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@KitTest
class AuditTrailTest {

    private static String admin() {
        return TestTokens.bearer("ops-admin", "admin");
    }

    @Test
    void auditRowCommitsWithTheActionAndIsListedForAdmins() {
        String target = "t-" + UUID.randomUUID();
        given().header("Authorization", admin()).header("X-Request-ID", "audit-req-0001")
                .post("/probe/audit/" + target).then().statusCode(200);
        given().header("Authorization", admin()).queryParam("target", target).get("/probe/audit-log").then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].actor", equalTo("ops-admin"))
                .body("items[0].action", equalTo("probe.audited"))
                .body("items[0].requestId", equalTo("audit-req-0001"))
                .body("items[0].details.note", equalTo("from the probe"))
                .body("items[0].occurredAt", notNullValue());
        TestRequests.as("d", "driver").get("/probe/audit-log").then().statusCode(403);
    }

    @Test
    void auditRowRollsBackWithAFailedAction() {
        String target = "t-" + UUID.randomUUID();
        given().header("Authorization", admin()).queryParam("fail", true).post("/probe/audit/" + target).then()
                .statusCode(500);
        given().header("Authorization", admin()).queryParam("target", target).get("/probe/audit-log").then()
                .statusCode(200).body("items", hasSize(0));
    }

    @Test
    void listingPagesNewestFirst() {
        String target = "page-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", admin()).post("/probe/audit/" + target).then().statusCode(200);
        }
        String cursor = given().header("Authorization", admin()).queryParam("target", target).queryParam("limit", 2)
                .get("/probe/audit-log").then().statusCode(200).body("items", hasSize(2))
                .extract().path("nextCursor");
        given().header("Authorization", admin()).queryParam("target", target).queryParam("limit", 2)
                .queryParam("cursor", cursor).get("/probe/audit-log").then()
                .body("items", hasSize(1)).body("nextCursor", nullValue());
        given().header("Authorization", admin()).queryParam("limit", 1000).get("/probe/audit-log").then()
                .statusCode(400).body("errors[0].field", equalTo("limit"));
        given().header("Authorization", admin()).queryParam("cursor", "1 or 1=1").get("/probe/audit-log").then()
                .statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void databaseRefusesUpdateDeleteAndTruncate() throws SQLException {
        given().header("Authorization", admin()).post("/probe/audit/immutable").then().statusCode(200);
        try (Connection c = com.nova.kit.testing.TestDatabase.connect("kit_test")) {
            for (String sql : new String[] { "update audit_log set actor = 'forger'", "delete from audit_log",
                    "truncate audit_log" }) {
                SQLException refused = assertThrows(SQLException.class, () -> c.createStatement().execute(sql), sql);
                assertEquals("42501", refused.getSQLState(), sql);
            }
        }
    }
}
