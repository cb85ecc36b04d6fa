package com.nova.buyers.rest;

import static com.nova.buyers.BuyerFixtures.admin;
import static com.nova.buyers.BuyerFixtures.body;
import static com.nova.buyers.BuyerFixtures.create;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import com.nova.buyers.BuyerFixtures;
import com.nova.buyers.BuyerRegistryTest;

/** The buyer API as an admin uses it: onboarding, reading, changing, deactivating; exact money; validation. */
@QuarkusTest
@BuyerRegistryTest
class BuyerApiTest {

    @Test
    void onboardingAnswersTheBuyerAndItsWebhookSecretOnce() {
        Map<String, Object> body = body();
        String token = (String) ((Map<?, ?>) body.get("authConfig")).get("token");
        JsonPath created = create(body);
        String id = created.getString("id");
        assertEquals("ACTIVE", created.getString("status"));
        assertEquals("30.00", created.getString("bidAmount"));
        assertEquals("2500.00", created.getString("dailyBudget"));
        assertEquals(List.of("solar", "roofing"), created.getList("verticals"));
        assertEquals(100, created.getInt("caps.daily"));
        assertEquals("bearer", created.getString("authConfig.type"));
        assertEquals("bearer ****" + token.substring(token.length() - 4), created.getString("authConfig.hint"));
        String secret = created.getString("webhookSecret");
        org.hamcrest.MatcherAssert.assertThat(secret, matchesPattern("whsec_[A-Za-z0-9+/]{43}="));
        assertEquals(32, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);
        assertFalse(created.prettify().contains(token), "the credential is never answered");

        admin().get("/v1/buyers/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("bidAmount", equalTo("30.00"))
                .body("webhookSecret", nullValue())
                .body(not(org.hamcrest.Matchers.containsString(token)))
                .body(not(org.hamcrest.Matchers.containsString(secret)));
    }

    @Test
    void aSharedBidIsOptionalExactAndListedForTheAuction() {
        String exclusiveOnly = create().getString("id");
        admin().get("/v1/buyers/" + exclusiveOnly).then().statusCode(200).body("$", not(org.hamcrest.Matchers.hasKey("sharedBidAmount")));
        Map<String, Object> body = body();
        body.put("sharedBidAmount", "12.5");
        String sharing = create(body).getString("id");
        BuyerFixtures.service().queryParam("vertical", "solar").get("/internal/buyers/eligible").then().statusCode(200)
                .body("buyers.find { it.id == '" + sharing + "' }.sharedBidAmount", equalTo("12.50"));
        admin().contentType(ContentType.JSON).body(Map.of("sharedBidAmount", "13.01")).patch("/v1/buyers/" + sharing).then()
                .statusCode(200).body("sharedBidAmount", equalTo("13.01"));
        Map<String, Object> bad = body();
        bad.put("sharedBidAmount", "1.001");
        admin().contentType(ContentType.JSON).body(bad).post("/v1/buyers").then().statusCode(400)
                .body("errors[0].field", equalTo("sharedBidAmount"));
    }

    @Test
    void aBuyerTakesLeadsAutomaticallyUnlessItAcceptsEachPost() {
        String auto = create().getString("id");
        admin().get("/v1/buyers/" + auto).then().statusCode(200).body("acceptMode", equalTo("auto"));
        Map<String, Object> body = body();
        body.put("acceptMode", "post-accept");
        String offered = create(body).getString("id");
        BuyerFixtures.service().queryParam("vertical", "solar").get("/internal/buyers/eligible").then().statusCode(200)
                .body("buyers.find { it.id == '" + offered + "' }.acceptMode", equalTo("post-accept"));
        admin().contentType(ContentType.JSON).body(Map.of("acceptMode", "auto")).patch("/v1/buyers/" + offered).then()
                .statusCode(200).body("acceptMode", equalTo("auto"));
        admin().contentType(ContentType.JSON).body(Map.of("acceptMode", "maybe")).patch("/v1/buyers/" + offered).then()
                .statusCode(400).body("errors[0].field", equalTo("acceptMode"));
    }

    @Test
    void capsComeBackOnReturnsUnlessTheBuyerSaysOtherwise() {
        String byDefault = create().getString("id");
        admin().get("/v1/buyers/" + byDefault).then().statusCode(200).body("capsBackOnReturn", equalTo(true));
        Map<String, Object> body = body();
        body.put("capsBackOnReturn", false);
        String kept = create(body).getString("id");
        BuyerFixtures.service().queryParam("vertical", "solar").get("/internal/buyers/eligible").then().statusCode(200)
                .body("buyers.find { it.id == '" + kept + "' }.capsBackOnReturn", equalTo(false))
                .body("buyers.find { it.id == '" + byDefault + "' }.capsBackOnReturn", equalTo(true));
        admin().contentType(ContentType.JSON).body(Map.of("capsBackOnReturn", true)).patch("/v1/buyers/" + kept).then()
                .statusCode(200).body("capsBackOnReturn", equalTo(true));
        admin().contentType(ContentType.JSON).body(Map.of("capsBackOnReturn", "sometimes")).patch("/v1/buyers/" + kept).then()
                .statusCode(400);
    }

    @Test
    void moneyIsExactFromStringsAndNumbers() {
        Map<String, Object> body = body();
        body.put("bidAmount", new java.math.BigDecimal("30.1"));
        body.put("dailyBudget", "0.01");
        JsonPath created = create(body);
        assertEquals("30.10", created.getString("bidAmount"));
        assertEquals("0.01", created.getString("dailyBudget"));
        // A JSON number with many digits is read exactly, not through a binary float.
        String raw = admin().contentType(ContentType.JSON)
                .body(json(body(), "\"bidAmount\": 12345678.99"))
                .post("/v1/buyers").then().statusCode(201).extract().path("bidAmount");
        assertEquals("12345678.99", raw);
    }

    /** The body as JSON with one field spelled out raw (numbers REST Assured would reformat). */
    private static String json(Map<String, Object> body, String rawField) {
        String name = rawField.substring(1, rawField.indexOf('"', 1));
        body.remove(name);
        try {
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
            return "{" + rawField + "," + json.substring(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void invalidInputNamesEveryBadField() {
        Map<String, Object> body = body();
        body.put("name", " ");
        body.put("verticals", List.of());
        body.put("states", List.of("ZZ", "ca"));
        body.put("zipPrefixes", List.of("9a"));
        body.put("bidAmount", "0");
        body.put("priority", -1);
        body.put("caps", Map.of("daily", 0));
        body.put("dailyBudget", "10.001");
        body.put("authConfig", Map.of("type", "bearer", "token", "short"));
        admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:validation-failed"))
                .body("errors.field", hasItems("name", "verticals", "states[0]", "states[1]", "zipPrefixes[0]",
                        "bidAmount", "priority", "caps.daily", "dailyBudget", "authConfig.token"));
    }

    @Test
    void zeroNegativeAndOverPreciseBidsAreRefused() {
        for (Object bid : List.of("0", "0.00", "-5.00", "30.001", "abc", "NaN", "")) {
            Map<String, Object> body = body();
            body.put("bidAmount", bid);
            admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then()
                    .statusCode(400)
                    .body("errors.field", hasItem("bidAmount"));
        }
    }

    @Test
    void databaseRefusesANonPositiveBidAndAnUnknownStatus() throws Exception {
        String id = create().getString("id");
        try (Connection c = BuyerFixtures.db()) {
            for (String sql : new String[] { "update buyer set bid_amount = 0 where id = '" + id + "'",
                    "update buyer set bid_amount = -1 where id = '" + id + "'",
                    "update buyer set status = 'DELETED' where id = '" + id + "'",
                    "update buyer set daily_budget = 0 where id = '" + id + "'" }) {
                java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> c.createStatement().execute(sql), sql);
                assertEquals("23514", refused.getSQLState(), sql); // check_violation
            }
        }
    }

    @Test
    void authConfigKindsAndTheirMistakes() {
        Map<String, Object> body = body();
        body.put("authConfig", Map.of("type", "basic", "username", "acme-api", "password", "correct horse battery"));
        assertEquals("basic ac***:****", create(body).getString("authConfig.hint"));
        body.put("authConfig", Map.of("type", "header", "name", "X-Api-Key", "value", "key-0123456789abcdefWXYZ"));
        assertEquals("header X-Api-Key: ****WXYZ", create(body).getString("authConfig.hint"));

        body.put("authConfig", Map.of("type", "oauth", "token", "x"));
        admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then().statusCode(400)
                .body("errors.field", hasItem("authConfig"));
        body.put("authConfig", Map.of("type", "header", "name", "Content-Length", "value", "123456789"));
        admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then().statusCode(400)
                .body("errors.field", hasItem("authConfig.name"));
        body.put("authConfig", Map.of("type", "header", "name", "X-Key", "value", "abc\r\nX-Evil: 1"));
        admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then().statusCode(400)
                .body("errors.field", hasItem("authConfig.value"));
        body.remove("authConfig");
        admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then().statusCode(400)
                .body("errors.field", hasItem("authConfig"));
    }

    @Test
    void unknownFieldsAndMalformedBodiesAreRefused() {
        Map<String, Object> body = body();
        body.put("isAdmin", true);
        admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then().statusCode(400)
                .body("errors.field", hasItem("isAdmin"));
        admin().contentType(ContentType.JSON).body("{\"name\": ").post("/v1/buyers").then().statusCode(400)
                .contentType("application/problem+json");
        admin().contentType(ContentType.JSON).post("/v1/buyers").then().statusCode(400);
    }

    @Test
    void deliveryUrlMustBeAnHttpUrlWithoutCredentials() {
        for (String url : List.of("ftp://example.com/x", "not a url", "/relative", "http://user:pw@127.0.0.1/x",
                "javascript:alert(1)")) {
            Map<String, Object> body = body();
            body.put("deliveryUrl", url);
            admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then().statusCode(400)
                    .body("errors.field", hasItem("deliveryUrl"));
        }
    }

    @Test
    void patchChangesOnlyWhatItNamesAndIsValidatedLikeCreation() {
        JsonPath created = create();
        String id = created.getString("id");
        long version = created.getLong("version");
        admin().contentType(ContentType.JSON).body(Map.of("bidAmount", "41.5", "status", "PAUSED"))
                .patch("/v1/buyers/" + id).then().statusCode(200)
                .body("bidAmount", equalTo("41.50"))
                .body("status", equalTo("PAUSED"))
                .body("name", equalTo("Acme Solar Leads"))
                .body("version", equalTo((int) version + 1));
        admin().contentType(ContentType.JSON).body(Map.of("bidAmount", "-1", "states", List.of("XX")))
                .patch("/v1/buyers/" + id).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("bidAmount", "states[0]"));
        admin().contentType(ContentType.JSON).body(Map.of()).patch("/v1/buyers/" + id).then().statusCode(400)
                .body("type", equalTo("urn:nova:problem:empty-patch"));
        admin().contentType(ContentType.JSON).body(Map.of("status", "DEACTIVATED")).patch("/v1/buyers/" + id).then()
                .statusCode(400).body("errors.field", hasItem("status"));
        admin().contentType(ContentType.JSON).body(Map.of("caps", Map.of("daily", 50, "monthly", 10)))
                .patch("/v1/buyers/" + id).then().statusCode(400).body("errors.field", hasItem("caps.daily"));
        admin().contentType(ContentType.JSON).body(Map.of("name", "x")).patch("/v1/buyers/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void deactivationIsFinalAndIdempotent() {
        String id = create().getString("id");
        admin().post("/v1/buyers/" + id + "/deactivate").then().statusCode(200).body("status", equalTo("DEACTIVATED"));
        admin().post("/v1/buyers/" + id + "/deactivate").then().statusCode(200).body("status", equalTo("DEACTIVATED"));
        admin().contentType(ContentType.JSON).body(Map.of("status", "ACTIVE")).patch("/v1/buyers/" + id).then()
                .statusCode(409).body("type", equalTo("urn:nova:problem:buyer-deactivated"));
        admin().contentType(ContentType.JSON)
                .body(Map.of("authConfig", Map.of("type", "bearer", "token", "abcdefghijklmnopqrstuvwxyz")))
                .put("/v1/buyers/" + id + "/credentials").then().statusCode(409);
    }

    @Test
    void credentialsAreReplacedAndOnlyTheHintChangesInAnswers() {
        String id = create().getString("id");
        admin().contentType(ContentType.JSON)
                .body(Map.of("authConfig", Map.of("type", "basic", "username", "newuser", "password", "n3w-passw0rd!")))
                .put("/v1/buyers/" + id + "/credentials").then().statusCode(200)
                .body("authConfig.type", equalTo("basic"))
                .body("authConfig.hint", equalTo("basic ne***:****"))
                .body(not(org.hamcrest.Matchers.containsString("n3w-passw0rd!")));
        BuyerFixtures.service().get("/internal/buyers/" + id + "/delivery").then().statusCode(200)
                .body("authConfig.type", equalTo("basic"))
                .body("authConfig.username", equalTo("newuser"))
                .body("authConfig.password", equalTo("n3w-passw0rd!"));
    }

    @Test
    void listingPagesInRegistrationOrderWithFilters() {
        String vertical = "v" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> body = body();
            body.put("verticals", List.of(vertical));
            body.put("name", "buyer " + i);
            create(body);
        }
        JsonPath first = admin().queryParam("vertical", vertical).queryParam("limit", 2).get("/v1/buyers").then()
                .statusCode(200).body("items", hasSize(2)).body("nextCursor", notNullValue()).extract().jsonPath();
        assertEquals(List.of("buyer 0", "buyer 1"), first.getList("items.name"));
        admin().queryParam("vertical", vertical).queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor"))
                .get("/v1/buyers").then().statusCode(200)
                .body("items.name", equalTo(List.of("buyer 2")))
                .body("nextCursor", nullValue());
        admin().queryParam("limit", 0).get("/v1/buyers").then().statusCode(400).body("errors.field", hasItem("limit"));
        admin().queryParam("cursor", "1;drop").get("/v1/buyers").then().statusCode(400);
        admin().queryParam("status", "SOMETIMES").get("/v1/buyers").then().statusCode(400)
                .contentType("application/problem+json");
        admin().get("/v1/buyers/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void eligibleBuyersMatchVerticalStateAndZipPrefix() throws Exception {
        String vertical = "e" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> anyZip = body();
        anyZip.put("verticals", List.of(vertical));
        anyZip.put("states", List.of("CA"));
        anyZip.remove("zipPrefixes");
        String any = create(anyZip).getString("id");
        Map<String, Object> la = body();
        la.put("verticals", List.of(vertical));
        la.put("states", List.of("CA"));
        la.put("zipPrefixes", List.of("900"));
        la.put("bidAmount", "45.25");
        String laId = create(la).getString("id");
        Map<String, Object> paused = body();
        paused.put("verticals", List.of(vertical));
        paused.put("states", List.of("CA"));
        String pausedId = create(paused).getString("id");
        admin().contentType(ContentType.JSON).body(Map.of("status", "PAUSED")).patch("/v1/buyers/" + pausedId).then()
                .statusCode(200);

        BuyerFixtures.service().queryParam("vertical", vertical).queryParam("state", "CA").queryParam("zip", "90012")
                .get("/internal/buyers/eligible").then().statusCode(200)
                .body("buyers.id", equalTo(List.of(any, laId)))
                .body("buyers[1].bidAmount", equalTo("45.25"))
                .body("buyers[0].registrationSeq", notNullValue())
                .body("buyers[0].dailyCap", equalTo(100));
        BuyerFixtures.service().queryParam("vertical", vertical).queryParam("state", "CA").queryParam("zip", "94105")
                .get("/internal/buyers/eligible").then().statusCode(200).body("buyers.id", equalTo(List.of(any)));
        BuyerFixtures.service().queryParam("vertical", vertical).queryParam("state", "TX")
                .get("/internal/buyers/eligible").then().statusCode(200).body("buyers", hasSize(0));
        BuyerFixtures.service().queryParam("state", "Texas").queryParam("zip", "9001")
                .get("/internal/buyers/eligible").then().statusCode(400)
                .body("errors.field", hasItems("state", "zip"));
        assertEquals(1, BuyerFixtures.count("select count(*) from buyer where id = '" + any + "'"));
    }
}
