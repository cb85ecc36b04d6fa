package com.nova.buyers.service;

import static com.nova.buyers.BuyerFixtures.admin;
import static com.nova.buyers.BuyerFixtures.create;
import static com.nova.buyers.BuyerFixtures.gateway;
import static com.nova.buyers.BuyerFixtures.service;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.nova.buyers.BuyerFixtures;
import com.nova.buyers.BuyerRegistryTest;
import com.nova.buyers.crypto.CredentialCipher;
import com.nova.buyers.crypto.Keysets;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Keyset rotation end to end: a new primary key takes new writes while old ciphertexts still
 * decrypt; re-encryption moves every row to the primary (legacy plaintext included), may run twice
 * or twice at once; then the old key is retired and everything still reads.
 */
@QuarkusTest
@BuyerRegistryTest
class KeyRotationTest {

    @Inject
    CredentialCipher cipher;

    @ConfigProperty(name = "buyers.crypto.keyset-file")
    Path keysetFile;

    private static final String LEGACY_AUTH = "{\"type\":\"basic\",\"username\":\"legacy-user\",\"password\":\"legacy-pass-123\"}";
    private static final String LEGACY_SECRET = "whsec_bGVnYWN5LXNlY3JldC1sZWdhY3ktc2VjcmV0LTEyMzQ=";

    @Test
    void rotateReencryptRetire() throws Exception {
        String before = create().getString("id");
        long oldKey = keyIdOf(before);
        UUID legacy = seedLegacyBuyer();

        // Legacy rows are usable even before they are encrypted.
        service().get("/internal/buyers/" + legacy + "/delivery").then().statusCode(200)
                .body("authConfig.password", equalTo("legacy-pass-123"));

        rotateKeyset();
        long newKey = Integer.toUnsignedLong(cipher.primaryKeyId());
        assertNotEquals(oldKey, newKey);

        String after = create().getString("id");
        assertEquals(newKey, keyIdOf(after), "new writes use the new primary key");
        assertEquals(oldKey, keyIdOf(before), "old rows are untouched until re-encryption");
        service().get("/internal/buyers/" + before + "/delivery").then().statusCode(200);

        JsonPath report = admin().post("/v1/buyers/keys/reencrypt").then().statusCode(200).extract().jsonPath();
        assertEquals(newKey, report.getLong("primaryKeyId"));
        assertTrue(report.getInt("buyersReencrypted") >= 2, report.prettify());
        assertTrue(report.getInt("legacyPlaintextEncrypted") >= 2, report.prettify());
        assertEquals(0, report.getInt("unreadable"));
        assertEquals(0, report.getLong("remaining"));
        assertEquals(newKey, keyIdOf(before));
        assertLegacyEncrypted(legacy, newKey);

        // Safe to run twice: nothing left to do, nothing changes.
        JsonPath again = admin().post("/v1/buyers/keys/reencrypt").then().statusCode(200).extract().jsonPath();
        assertEquals(0, again.getInt("buyersReencrypted"));
        assertEquals(0, again.getInt("secretsReencrypted"));
        assertEquals(0, again.getLong("remaining"));

        // The old key can go; everything still reads.
        Keysets.write(keysetFile, Keysets.retire(Keysets.read(keysetFile)));
        assertTrue(cipher.reloadIfChanged());
        for (Object id : List.of(before, after, legacy)) {
            service().get("/internal/buyers/" + id + "/delivery").then().statusCode(200);
            gateway().get("/internal/buyers/" + id + "/webhook-secrets").then().statusCode(200);
        }
        service().get("/internal/buyers/" + legacy + "/delivery").then()
                .body("authConfig.username", equalTo("legacy-user"))
                .body("authConfig.password", equalTo("legacy-pass-123"));
        gateway().get("/internal/buyers/" + legacy + "/webhook-secrets").then()
                .body("secrets[0].secret", equalTo(LEGACY_SECRET));

        admin().queryParam("action", "keys.reencrypted").get("/v1/buyers/audit").then().statusCode(200)
                .body("items[0].actor", equalTo("ops-admin"))
                .body("items[0].target", equalTo("keyset:" + newKey));
    }

    @Test
    void twoRunsAtOnceShareTheWorkWithoutRewritingARowTwice() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(create().getString("id"));
        }
        rotateKeyset();
        long needing = BuyerFixtures.count(
                "select count(*) from buyer where auth_key_id <> " + Integer.toUnsignedLong(cipher.primaryKeyId()));
        CompletableFuture<JsonPath> one = CompletableFuture.supplyAsync(
                () -> admin().post("/v1/buyers/keys/reencrypt").then().statusCode(200).extract().jsonPath());
        CompletableFuture<JsonPath> two = CompletableFuture.supplyAsync(
                () -> admin().post("/v1/buyers/keys/reencrypt").then().statusCode(200).extract().jsonPath());
        int total = one.get().getInt("buyersReencrypted") + two.get().getInt("buyersReencrypted");
        assertEquals(needing, total, "every row rewritten exactly once across both runs");
        // A run that found every row locked by the other ends early; once both are done nothing is left.
        JsonPath after = admin().post("/v1/buyers/keys/reencrypt").then().statusCode(200).extract().jsonPath();
        assertEquals(0, after.getInt("buyersReencrypted"));
        assertEquals(0, after.getLong("remaining"));
        for (String id : ids) {
            assertEquals(Integer.toUnsignedLong(cipher.primaryKeyId()), keyIdOf(id));
            service().get("/internal/buyers/" + id + "/delivery").then().statusCode(200);
        }
    }

    @Test
    void pingCredentialsAreReencryptedWithTheBuyersOthers() throws Exception {
        java.util.Map<String, Object> body = BuyerFixtures.body();
        body.put("pingUrl", "http://127.0.0.1:9/bids");
        body.put("pingAuthConfig", java.util.Map.of("type", "bearer", "token", "ping-token-rotated-1"));
        String id = create(body).getString("id");
        rotateKeyset();
        long newKey = Integer.toUnsignedLong(cipher.primaryKeyId());
        // The delivery credential is replaced (so written under the new key): only the ping credential is behind, and the run must still find it.
        admin().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("authConfig", java.util.Map.of("type", "bearer", "token", "delivery-token-new-1")))
                .put("/v1/buyers/" + id + "/credentials").then().statusCode(200);
        assertEquals(newKey, keyIdOf(id));
        assertNotEquals(newKey, BuyerFixtures.count("select ping_auth_key_id from buyer where id = '" + id + "'"));
        JsonPath report = admin().post("/v1/buyers/keys/reencrypt").then().statusCode(200).extract().jsonPath();
        assertEquals(0, report.getLong("remaining"), report.prettify());
        assertEquals(newKey, BuyerFixtures.count("select ping_auth_key_id from buyer where id = '" + id + "'"));
        assertEquals(newKey, keyIdOf(id));
        Keysets.write(keysetFile, Keysets.retire(Keysets.read(keysetFile)));
        assertTrue(cipher.reloadIfChanged());
        service().get("/internal/buyers/" + id + "/ping-endpoint").then().statusCode(200)
                .body("authConfig.token", equalTo("ping-token-rotated-1"));
    }

    private void rotateKeyset() throws Exception {
        Keysets.write(keysetFile, Keysets.rotate(Keysets.read(keysetFile)));
        assertTrue(cipher.reloadIfChanged());
    }

    private static long keyIdOf(String buyerId) throws Exception {
        try (Connection c = BuyerFixtures.db();
                PreparedStatement ps = c.prepareStatement("select auth_key_id, auth_ciphertext from buyer where id = ?")) {
            ps.setObject(1, UUID.fromString(buyerId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(rs.getLong(1), Integer.toUnsignedLong(CredentialCipher.keyIdOf(rs.getBytes(2))));
                return rs.getLong(1);
            }
        }
    }

    /** A buyer as rows looked before encryption existed: credentials and secret in clear. */
    private static UUID seedLegacyBuyer() throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = BuyerFixtures.db()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into buyer (id, name, status, verticals, states, bid_amount, delivery_url, auth_type, auth_hint, auth_plaintext)
                    values (?, 'Legacy Leads', 'ACTIVE', '{solar}', '{CA}', 12.50, 'http://127.0.0.1:9/legacy', 'basic', 'basic le***:****', ?)
                    """)) {
                ps.setObject(1, id);
                ps.setString(2, LEGACY_AUTH);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into buyer_webhook_secret (buyer_id, plaintext, created_at) values (?, ?, now())")) {
                ps.setObject(1, id);
                ps.setString(2, LEGACY_SECRET);
                ps.executeUpdate();
            }
        }
        return id;
    }

    private static void assertLegacyEncrypted(UUID id, long key) throws Exception {
        try (Connection c = BuyerFixtures.db();
                PreparedStatement ps = c.prepareStatement("select b.auth_plaintext, b.auth_ciphertext, b.auth_key_id, "
                        + "s.plaintext, s.ciphertext, s.key_id from buyer b join buyer_webhook_secret s on s.buyer_id = b.id where b.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertNull(rs.getString(1));
                assertNotNull(rs.getBytes(2));
                assertEquals(key, rs.getLong(3));
                assertNull(rs.getString(4));
                assertNotNull(rs.getBytes(5));
                assertEquals(key, rs.getLong(6));
            }
        }
    }
}
