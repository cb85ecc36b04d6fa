package com.nova.buyers.crypto;

import static com.nova.buyers.BuyerFixtures.admin;
import static com.nova.buyers.BuyerFixtures.body;
import static com.nova.buyers.BuyerFixtures.create;
import static com.nova.buyers.BuyerFixtures.gateway;
import static com.nova.buyers.BuyerFixtures.service;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nova.buyers.BuyerFixtures;
import com.nova.buyers.BuyerRegistryTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Credentials and webhook secrets exist in clear only in the answers of the internal endpoints:
 * not in the database (a full pg_dump is searched), not in public answers, not in the log. A
 * ciphertext moved to another buyer's row does not decrypt.
 */
@QuarkusTest
@BuyerRegistryTest
class CredentialEncryptionTest {

    @Inject
    CredentialCipher cipher;

    @Test
    void noPlaintextCredentialOrSecretInTheDatabaseAnswersOrLog() throws Exception {
        String token = "tok_live_" + UUID.randomUUID().toString().replace("-", "");
        String password = "pw-" + UUID.randomUUID();
        String headerValue = "hv-" + UUID.randomUUID();
        Map<String, Object> bearer = body();
        bearer.put("authConfig", Map.of("type", "bearer", "token", token));
        var a = create(bearer);
        Map<String, Object> basic = body();
        basic.put("authConfig", Map.of("type", "basic", "username", "leads-user", "password", password));
        var b = create(basic);
        Map<String, Object> header = body();
        header.put("authConfig", Map.of("type", "header", "name", "X-Api-Key", "value", headerValue));
        var c = create(header);
        String rotated = admin().post("/v1/buyers/" + a.getString("id") + "/webhook-secret/rotate").then()
                .statusCode(200).extract().path("webhookSecret");

        List<String> secrets = List.of(token, password, headerValue, a.getString("webhookSecret"),
                b.getString("webhookSecret"), c.getString("webhookSecret"), rotated);

        // They round-trip through the internal endpoints.
        service().get("/internal/buyers/" + a.getString("id") + "/delivery").then().statusCode(200)
                .body("authConfig.token", equalTo(token));
        service().get("/internal/buyers/" + b.getString("id") + "/delivery").then().statusCode(200)
                .body("authConfig.password", equalTo(password));
        service().get("/internal/buyers/" + c.getString("id") + "/delivery").then().statusCode(200)
                .body("authConfig.value", equalTo(headerValue));
        gateway().get("/internal/buyers/" + a.getString("id") + "/webhook-secrets").then().statusCode(200)
                .body("secrets.secret", equalTo(List.of(rotated, a.getString("webhookSecret"))));

        // Public answers never carry them.
        for (String id : List.of(a.getString("id"), b.getString("id"), c.getString("id"))) {
            String answer = admin().get("/v1/buyers/" + id).then().statusCode(200).extract().asString();
            secrets.forEach(s -> assertFalse(answer.contains(s), "a public answer shows a secret"));
        }
        String listing = admin().get("/v1/buyers?limit=200").then().statusCode(200).extract().asString();
        String audit = admin().get("/v1/buyers/audit?limit=200").then().statusCode(200).extract().asString();
        String events = new String(new ProcessBuilder("redis-cli", "-n", "4", "xrange", "buyers.events", "-", "+")
                .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (String s : secrets) {
            assertFalse(listing.contains(s), "the listing shows a secret");
            assertFalse(audit.contains(s), "the audit trail shows a secret");
            assertFalse(events.contains(s), "buyers.events carries a secret");
        }

        // The whole database, dumped, holds none of them: not as text, not as bytes.
        String dump = pgDump();
        assertFalse(dump.isBlank());
        for (String s : secrets) {
            assertFalse(dump.contains(s), "the database dump holds a secret in clear");
            assertFalse(dump.contains(HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8))),
                    "the database dump holds a secret as bytes");
        }

        // Nor does the log of this very run.
        String log = Files.readString(Path.of("target", "test-app.log"));
        for (String s : secrets) {
            assertFalse(log.contains(s), "the log holds a secret");
        }
    }

    @Test
    void rowsHoldCiphertextUnderThePrimaryKey() throws Exception {
        String id = create().getString("id");
        try (Connection c = BuyerFixtures.db();
                PreparedStatement ps = c.prepareStatement(
                        "select b.auth_ciphertext, b.auth_key_id, b.auth_plaintext, s.ciphertext, s.key_id, s.plaintext "
                                + "from buyer b join buyer_webhook_secret s on s.buyer_id = b.id where b.id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long primary = Integer.toUnsignedLong(cipher.primaryKeyId());
                assertNotNull(rs.getBytes(1));
                assertEquals(primary, rs.getLong(2));
                assertEquals(primary, Integer.toUnsignedLong(CredentialCipher.keyIdOf(rs.getBytes(1))));
                assertNull(rs.getString(3));
                assertNotNull(rs.getBytes(4));
                assertEquals(primary, rs.getLong(5));
                assertNull(rs.getString(6));
            }
        }
    }

    @Test
    void aCiphertextCopiedToAnotherBuyerDoesNotDecrypt() throws Exception {
        String victim = create().getString("id");
        String thief = create().getString("id");
        try (Connection c = BuyerFixtures.db()) {
            c.createStatement().execute("update buyer set auth_ciphertext = (select auth_ciphertext from buyer where id = '"
                    + victim + "') where id = '" + thief + "'");
            c.createStatement().execute("update buyer_webhook_secret set ciphertext = (select ciphertext from "
                    + "buyer_webhook_secret where buyer_id = '" + victim + "' and expires_at is null) where buyer_id = '"
                    + thief + "'");
        }
        service().get("/internal/buyers/" + thief + "/delivery").then().statusCode(500)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:credential-unreadable"))
                .body(not(org.hamcrest.Matchers.containsString("Exception")));
        gateway().get("/internal/buyers/" + thief + "/webhook-secrets").then().statusCode(500)
                .body("type", equalTo("urn:nova:problem:credential-unreadable"));
        // The victim's own rows are untouched and still read.
        service().get("/internal/buyers/" + victim + "/delivery").then().statusCode(200);
        // Putting a proper credential back repairs the thief's row.
        admin().contentType(ContentType.JSON)
                .body(Map.of("authConfig", Map.of("type", "bearer", "token", "abcdefghijklmnopqrstuvwxyz0123")))
                .put("/v1/buyers/" + thief + "/credentials").then().statusCode(200);
        service().get("/internal/buyers/" + thief + "/delivery").then().statusCode(200);
        admin().post("/v1/buyers/" + thief + "/webhook-secret/rotate").then().statusCode(200);
        try (Connection c = BuyerFixtures.db()) {
            // The copied secret is in its grace period now; remove it so later re-encryptions see only sound rows.
            c.createStatement().execute("delete from buyer_webhook_secret where buyer_id = '" + thief
                    + "' and expires_at is not null");
        }
        gateway().get("/internal/buyers/" + thief + "/webhook-secrets").then().statusCode(200);
    }

    private static String pgDump() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("pg_dump", "-h", com.nova.kit.testing.TestDatabase.host(), "-p",
                com.nova.kit.testing.TestDatabase.port(), "-U", com.nova.kit.testing.TestDatabase.user(), "--data-only",
                "buyer_registry_test").redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", com.nova.kit.testing.TestDatabase.password());
        Process dump = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dump.getInputStream().transferTo(out);
        assertEquals(0, dump.waitFor(), () -> "pg_dump failed: " + out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
