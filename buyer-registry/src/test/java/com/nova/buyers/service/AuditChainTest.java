package com.nova.buyers.service;

import static com.nova.buyers.BuyerFixtures.admin;
import static com.nova.buyers.BuyerFixtures.create;
import static com.nova.buyers.BuyerFixtures.gateway;
import static com.nova.buyers.BuyerFixtures.service;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.nova.buyers.BuyerFixtures;
import com.nova.buyers.BuyerRegistryTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The audit trail records who did what to which buyer under which request, and its hash chain
 * exposes a row changed or removed behind the database's back (by someone able to switch off the
 * append-only triggers).
 */
@QuarkusTest
@BuyerRegistryTest
class AuditChainTest {

    private static JsonPath verify() {
        return admin().get("/v1/buyers/audit/verify").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void everyAdminActionAndCredentialReadIsAudited() {
        String id = admin().header("X-Request-ID", "audit-create-0001").contentType("application/json")
                .body(BuyerFixtures.body()).post("/v1/buyers").then().statusCode(201).extract().path("id");
        service().get("/internal/buyers/" + id + "/delivery").then().statusCode(200);
        gateway().get("/internal/buyers/" + id + "/webhook-secrets").then().statusCode(200);
        admin().post("/v1/buyers/" + id + "/webhook-secret/rotate").then().statusCode(200);
        admin().post("/v1/buyers/" + id + "/deactivate").then().statusCode(200);
        admin().queryParam("target", "buyer:" + id).get("/v1/buyers/audit").then().statusCode(200)
                .body("items.action", equalTo(java.util.List.of("buyer.deactivated", "buyer.webhook-secret.rotated",
                        "buyer.webhook-secrets.read", "buyer.credentials.read", "buyer.created")))
                .body("items[3].actor", equalTo("auction-service"))
                .body("items[4].actor", equalTo("ops-admin"))
                .body("items[4].requestId", equalTo("audit-create-0001"));
    }

    @Test
    void chainIsIntactUnderConcurrentWritesAndReportsTheFirstBrokenLink() throws Exception {
        create();
        CompletableFuture<?>[] writers = IntStream.range(0, 12)
                .mapToObj(i -> CompletableFuture.runAsync(() -> create()))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(writers).get();
        JsonPath intact = verify();
        assertTrue(intact.getBoolean("intact"), intact.prettify());
        assertTrue(intact.getLong("rowsChecked") >= 13);
        org.hamcrest.MatcherAssert.assertThat(intact.getString("headHash"), matchesPattern("[0-9a-f]{64}"));

        long victim;
        long next;
        try (Connection c = BuyerFixtures.db(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "select id from audit_log where chain_seq is not null order by chain_seq desc offset 3 limit 2")) {
                rs.next();
                next = rs.getLong(1);
                rs.next();
                victim = rs.getLong(1);
            }
            // An edited row.
            st.execute("alter table audit_log disable trigger audit_log_no_update_or_delete");
            try {
                st.execute("update audit_log set actor = 'forger' where id = " + victim);
                JsonPath broken = verify();
                assertFalse(broken.getBoolean("intact"));
                assertEquals(victim, broken.getLong("firstBrokenId"));
                assertEquals("content-hash-mismatch", broken.getString("problem"));
                st.execute("update audit_log set actor = 'ops-admin' where id = " + victim);
                assertTrue(verify().getBoolean("intact"));

                // A removed row: the next one no longer follows its predecessor.
                st.execute("create temp table saved as select * from audit_log where id = " + victim);
                st.execute("delete from audit_log where id = " + victim);
                JsonPath gap = verify();
                assertFalse(gap.getBoolean("intact"));
                assertEquals(next, gap.getLong("firstBrokenId"));
                assertEquals("previous-hash-mismatch", gap.getString("problem"));
                st.execute("alter table audit_log disable trigger audit_log_chain");
                try {
                    st.execute("insert into audit_log overriding system value select * from saved");
                } finally {
                    st.execute("alter table audit_log enable trigger audit_log_chain");
                }
            } finally {
                st.execute("alter table audit_log enable trigger audit_log_no_update_or_delete");
            }
        }
        assertTrue(verify().getBoolean("intact"));
    }
}
