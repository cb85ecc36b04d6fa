package com.nova.wallet.rest;

import static com.nova.kit.testing.TestRequests.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Every endpoint tried as the wrong principal: no token 401, wrong role 403, never another's data. */
@QuarkusTest
@WalletTest
class WalletAccessTest {

    private record Call(String method, String path, Object body) {
    }

    private static final String VICTIM = "driver-victim";

    private static List<Call> adminCalls() {
        return List.of(new Call("GET", "/v1/wallets/" + VICTIM, null),
                new Call("GET", "/v1/wallets/" + VICTIM + "/transactions", null),
                new Call("POST", "/v1/wallets/" + VICTIM + "/adjustments", Map.of("direction", "CREDIT", "amount", 1000, "reason", "x")),
                new Call("GET", "/v1/wallets/parked-purchases", null),
                new Call("POST", "/v1/wallets/parked-purchases/1/attribute", Map.of("driverId", "attacker")),
                new Call("GET", "/v1/wallets/reconciliation", null),
                new Call("GET", "/v1/wallets/merchants/m-1/earn-rate", null),
                new Call("PUT", "/v1/wallets/merchants/m-1/earn-rate", Map.of("pointsPerUnit", 100)),
                new Call("GET", "/v1/wallets/audit", null));
    }

    private static List<Call> driverCalls() {
        return List.of(new Call("GET", "/v1/wallets/me", null), new Call("GET", "/v1/wallets/me/transactions", null),
                new Call("POST", "/v1/wallets/me/redemptions", Map.of("merchantId", "m", "amount", 1)));
    }

    private static io.restassured.response.Response send(RequestSpecification spec, Call call) {
        spec = spec.header("Idempotency-Key", "key-" + UUID.randomUUID());
        if (call.body() != null) {
            spec = spec.contentType(ContentType.JSON).body(call.body());
        }
        return spec.request(call.method(), call.path());
    }

    @Test
    void thePrincipalIsTheTokensSubjectNeverItsUpn() throws Exception {
        java.nio.file.Path keys = com.nova.kit.testing.TestTokens.KEYS;
        String token = com.nova.kit.testing.DevIdentity.sign(
                com.nova.kit.testing.DevIdentity.readPrivateKey(keys.resolve("private.pem")),
                com.nova.kit.testing.DevIdentity.currentKid(keys), com.nova.kit.testing.DevIdentity.DEFAULT_ISSUER,
                com.nova.kit.testing.DevIdentity.DEFAULT_AUDIENCE, "driver-sub-1", List.of("driver"), 600,
                Map.of("upn", "driver-upn-2", "preferred_username", "driver-name-3"));
        given().header("Authorization", "Bearer " + token).get("/v1/wallets/me").then().statusCode(200)
                .body("driverId", equalTo("driver-sub-1"));
    }

    @Test
    void noTokenIs401Everywhere() {
        for (Call call : concat(adminCalls(), driverCalls())) {
            send(given(), call).then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void driversCannotReachAdminEndpointsNotEvenForThemselves() {
        for (String role : List.of("driver", "merchant", "publisher", "buyer", "service")) {
            for (Call call : adminCalls()) {
                send(as(VICTIM, role), call).then().statusCode(403).body("type", equalTo("urn:nova:problem:forbidden"));
            }
        }
    }

    @Test
    void onlyDriversHaveAWalletOfTheirOwn() {
        for (String role : List.of("admin", "merchant", "publisher", "buyer", "service")) {
            for (Call call : driverCalls()) {
                send(as("someone", role), call).then().statusCode(403);
            }
        }
    }

    @Test
    void aDriverSeesOnlyItsOwnWalletWhateverItSends() {
        as("attacker", "driver").get("/v1/wallets/me").then().statusCode(200).body("driverId", equalTo("attacker"));
        // There is no driver-facing path that names another driver; the admin path refuses drivers.
        as("attacker", "driver").get("/v1/wallets/" + VICTIM).then().statusCode(403);
        as("attacker", "driver").queryParam("driverId", VICTIM).get("/v1/wallets/me").then().statusCode(200)
                .body("driverId", equalTo("attacker"));
    }

    @SafeVarargs
    private static List<Call> concat(List<Call>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
