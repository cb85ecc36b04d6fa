package com.nova.buyers.rest;

import static com.nova.buyers.BuyerFixtures.admin;
import static com.nova.buyers.BuyerFixtures.body;
import static com.nova.buyers.BuyerFixtures.create;
import static com.nova.buyers.BuyerFixtures.gateway;
import static com.nova.buyers.BuyerFixtures.service;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.buyers.BuyerFixtures;
import com.nova.buyers.BuyerRegistryTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A buyer's live-bidding endpoint: its URL held to the delivery URL policy, its own credentials
 * encrypted and never answered to admins, readable in clear by auction-service alone (audited).
 */
@QuarkusTest
@BuyerRegistryTest
class LiveBiddingEndpointTest {

    static Map<String, Object> liveBidder(String token) {
        Map<String, Object> body = body();
        body.put("pingUrl", "http://127.0.0.1:9/bids");
        body.put("pingAuthConfig", Map.of("type", "header", "name", "X-Bid-Key", "value", token));
        body.put("bidFloor", "12.5");
        return body;
    }

    @Test
    void aLiveBidderIsListedAsOneAndOnlyAuctionServiceReadsItsCredentials() throws Exception {
        String token = "bidkey_" + UUID.randomUUID().toString().replace("-", "");
        JsonPath created = create(liveBidder(token));
        String id = created.getString("id");
        assertEquals("http://127.0.0.1:9/bids", created.getString("pingUrl"));
        assertEquals("header", created.getString("pingAuthConfig.type"));
        assertEquals("12.50", created.getString("bidFloor"));
        assertFalse(created.prettify().contains(token), "the ping credential is never answered to admins");
        admin().get("/v1/buyers/" + id).then().statusCode(200).body(not(containsString(token)));

        service().queryParam("vertical", "solar").get("/internal/buyers/eligible").then().statusCode(200)
                .body("buyers.find { it.id == '" + id + "' }.liveBidding", equalTo(true))
                .body("buyers.find { it.id == '" + id + "' }.bidFloor", equalTo("12.50"));
        service().get("/internal/buyers/" + id + "/ping-endpoint").then().statusCode(200)
                .body("pingUrl", equalTo("http://127.0.0.1:9/bids"))
                .body("authConfig.name", equalTo("X-Bid-Key"))
                .body("authConfig.value", equalTo(token))
                .body("bidFloor", equalTo("12.50"));
        gateway().get("/internal/buyers/" + id + "/ping-endpoint").then().statusCode(403);
        admin().get("/internal/buyers/" + id + "/ping-endpoint").then().statusCode(403);
        admin().queryParam("action", "buyer.ping-credentials.read").get("/v1/buyers/audit").then().statusCode(200)
                .body("items[0].target", equalTo("buyer:" + id))
                .body("items[0].actor", equalTo("auction-service"));

        // Encrypted at rest: not the token's bytes.
        byte[] delivery;
        long deliveryKey;
        try (Connection c = BuyerFixtures.db();
                PreparedStatement ps = c.prepareStatement("select auth_ciphertext, ping_auth_ciphertext from buyer where id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                delivery = rs.getBytes(1);
                deliveryKey = BuyerFixtures.count("select auth_key_id from buyer where id = '" + id + "'");
                byte[] ping = rs.getBytes(2);
                assertFalse(new String(ping, StandardCharsets.ISO_8859_1).contains(token));
            }
        }
        // Copied into the delivery column, the ping ciphertext does not open: the purpose is bound in.
        try (Connection c = BuyerFixtures.db();
                PreparedStatement ps = c.prepareStatement("update buyer set auth_ciphertext = ping_auth_ciphertext, auth_key_id = ping_auth_key_id where id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            ps.executeUpdate();
        }
        try {
            service().get("/internal/buyers/" + id + "/delivery").then().statusCode(500)
                    .body("type", containsString("credential-unreadable")).body(not(containsString(token)));
        } finally {
            // Back as it was: other tests re-encrypt every row and must not meet this one.
            try (Connection c = BuyerFixtures.db();
                    PreparedStatement ps = c.prepareStatement("update buyer set auth_ciphertext = ?, auth_key_id = ? where id = ?")) {
                ps.setBytes(1, delivery);
                ps.setLong(2, deliveryKey);
                ps.setObject(3, UUID.fromString(id));
                ps.executeUpdate();
            }
        }
        service().get("/internal/buyers/" + id + "/delivery").then().statusCode(200);
    }

    @Test
    void aBuyerWithoutOneHasNoPingEndpoint() {
        String id = create().getString("id");
        service().get("/internal/buyers/" + id + "/ping-endpoint").then().statusCode(404)
                .contentType("application/problem+json");
        service().queryParam("vertical", "solar").get("/internal/buyers/eligible").then().statusCode(200)
                .body("buyers.find { it.id == '" + id + "' }.liveBidding", equalTo(false))
                .body("buyers.find { it.id == '" + id + "' }.bidFloor", nullValue());
    }

    @Test
    void theEndpointAndItsCredentialsComeTogetherAndTheUrlIsHeldToTheDeliveryPolicy() {
        Map<String, Object> noCredentials = body();
        noCredentials.put("pingUrl", "http://127.0.0.1:9/bids");
        post(noCredentials).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("pingAuthConfig"));
        Map<String, Object> noUrl = body();
        noUrl.put("pingAuthConfig", Map.of("type", "bearer", "token", "t0ken-0123456789abcdef"));
        post(noUrl).then().statusCode(400).body("errors[0].field", equalTo("pingUrl"));
        Map<String, Object> userInfo = liveBidder("k-123456789");
        userInfo.put("pingUrl", "http://user:pass@127.0.0.1:9/bids");
        post(userInfo).then().statusCode(400).body("errors[0].field", equalTo("pingUrl"));
        Map<String, Object> notHttp = liveBidder("k-123456789");
        notHttp.put("pingUrl", "ftp://127.0.0.1/bids");
        post(notHttp).then().statusCode(400).body("errors[0].field", equalTo("pingUrl"));
        Map<String, Object> reserved = liveBidder("k-123456789");
        reserved.put("pingAuthConfig", Map.of("type", "header", "name", "Content-Type", "value", "text/plain"));
        post(reserved).then().statusCode(400).body("errors[0].field", equalTo("pingAuthConfig.name"));
        Map<String, Object> floor = liveBidder("k-123456789");
        floor.put("bidFloor", "0");
        post(floor).then().statusCode(400).body("errors[0].field", equalTo("bidFloor"));
    }

    @Test
    void aPatchAddsTheEndpointThenMovesItKeepingItsCredentials() {
        String id = create().getString("id");
        patch(id, Map.of("pingUrl", "http://127.0.0.1:9/bids")).then().statusCode(400)
                .body("errors[0].field", equalTo("pingAuthConfig"));
        patch(id, Map.of("pingAuthConfig", Map.of("type", "bearer", "token", "first-token-1234"))).then().statusCode(400)
                .body("errors[0].field", equalTo("pingUrl"));
        patch(id, Map.of("pingUrl", "http://127.0.0.1:9/bids", "pingAuthConfig", Map.of("type", "bearer", "token", "first-token-1234")))
                .then().statusCode(200).body("pingUrl", equalTo("http://127.0.0.1:9/bids"))
                .body("pingAuthConfig.type", equalTo("bearer"));
        patch(id, Map.of("pingUrl", "http://127.0.0.1:9/v2/bids", "bidFloor", "3.10")).then().statusCode(200)
                .body("bidFloor", equalTo("3.10"));
        service().get("/internal/buyers/" + id + "/ping-endpoint").then().statusCode(200)
                .body("pingUrl", equalTo("http://127.0.0.1:9/v2/bids"))
                .body("authConfig.token", equalTo("first-token-1234"));
        admin().queryParam("action", "buyer.updated").get("/v1/buyers/audit").then().statusCode(200)
                .body("items.find { it.target == 'buyer:" + id + "' }.details.fields", org.hamcrest.Matchers.hasItems("pingUrl", "bidFloor"));
    }

    @Test
    void aPatchTakesTheOptionalFieldsAwayAgain() throws Exception {
        Map<String, Object> body = liveBidder("clear-token-1234");
        body.put("sharedBidAmount", "7.25");
        String id = create(body).getString("id");

        // Set and cleared at once means nothing sensible; an unknown name is refused with the ones it may be.
        patch(id, Map.of("bidFloor", "3.00", "clear", java.util.List.of("bidFloor"))).then().statusCode(400)
                .body("errors[0].field", equalTo("clear"));
        patch(id, Map.of("pingAuthConfig", Map.of("type", "bearer", "token", "other-token-1234"), "clear", java.util.List.of("pingUrl")))
                .then().statusCode(400).body("errors[0].field", equalTo("clear"));
        patch(id, Map.of("clear", java.util.List.of("bidAmount"))).then().statusCode(400)
                .body("errors[0].field", containsString("clear"));

        patch(id, Map.of("clear", java.util.List.of("pingUrl", "bidFloor", "sharedBidAmount", "dailyBudget"))).then().statusCode(200)
                .body("pingUrl", nullValue()).body("pingAuthConfig", nullValue()).body("bidFloor", nullValue())
                .body("sharedBidAmount", nullValue()).body("dailyBudget", nullValue());
        // The buyer bids statically, exclusive only, without a budget; its ping credentials are gone from the table.
        service().get("/internal/buyers/" + id + "/ping-endpoint").then().statusCode(404);
        service().queryParam("vertical", "solar").get("/internal/buyers/eligible").then().statusCode(200)
                .body("buyers.find { it.id == '" + id + "' }.liveBidding", equalTo(false))
                .body("buyers.find { it.id == '" + id + "' }.sharedBidAmount", nullValue())
                .body("buyers.find { it.id == '" + id + "' }.dailyBudget", nullValue());
        try (Connection c = BuyerFixtures.db();
                PreparedStatement ps = c.prepareStatement(
                        "select ping_url, ping_auth_type, ping_auth_hint, ping_auth_ciphertext, ping_auth_key_id from buyer where id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int column = 1; column <= 5; column++) {
                    assertEquals(null, rs.getObject(column), "ping column " + column);
                }
            }
        }
        admin().queryParam("action", "buyer.updated").get("/v1/buyers/audit").then().statusCode(200)
                .body("items.find { it.target == 'buyer:" + id + "' }.details.fields",
                        org.hamcrest.Matchers.hasItems("pingUrl", "pingAuthConfig", "bidFloor", "sharedBidAmount", "dailyBudget"));
        // Clearing what is not there changes nothing: the same version, no audit entry, no event.
        long version = admin().get("/v1/buyers/" + id).jsonPath().getLong("version");
        int audited = admin().queryParam("action", "buyer.updated").queryParam("target", "buyer:" + id).get("/v1/buyers/audit")
                .jsonPath().getList("items").size();
        patch(id, Map.of("clear", java.util.List.of("bidFloor"))).then().statusCode(200).body("bidFloor", nullValue())
                .body("version", equalTo((int) version));
        assertEquals(audited, admin().queryParam("action", "buyer.updated").queryParam("target", "buyer:" + id).get("/v1/buyers/audit")
                .jsonPath().getList("items").size());
        assertEquals(1, audited, "the one PATCH that cleared something");
    }

    private static io.restassured.response.Response post(Map<String, Object> body) {
        return admin().contentType(ContentType.JSON).body(body).post("/v1/buyers");
    }

    private static io.restassured.response.Response patch(String id, Map<String, Object> body) {
        return admin().contentType(ContentType.JSON).body(body).patch("/v1/buyers/" + id);
    }
}
