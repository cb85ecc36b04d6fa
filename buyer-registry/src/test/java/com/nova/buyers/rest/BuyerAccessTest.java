package com.nova.buyers.rest;

import static com.nova.buyers.BuyerFixtures.create;
import static com.nova.kit.testing.TestRequests.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nova.buyers.BuyerFixtures;
import com.nova.buyers.BuyerRegistryTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint against every kind of caller: no token 401, wrong role 403, another buyer's id
 * 404 (never its data), internal endpoints for the service role alone.
 */
@QuarkusTest
@BuyerRegistryTest
class BuyerAccessTest {

    private record Call(String method, String path, Object body) {
    }

    private static List<Call> adminCalls(String id) {
        Map<String, Object> credentials = Map.of("authConfig",
                Map.of("type", "bearer", "token", "abcdefghijklmnopqrstuvwxyz0123"));
        return List.of(
                new Call("POST", "/v1/buyers", BuyerFixtures.body()),
                new Call("GET", "/v1/buyers", null),
                new Call("PATCH", "/v1/buyers/" + id, Map.of("priority", 7)),
                new Call("POST", "/v1/buyers/" + id + "/deactivate", null),
                new Call("PUT", "/v1/buyers/" + id + "/credentials", credentials),
                new Call("POST", "/v1/buyers/keys/reencrypt", null),
                new Call("GET", "/v1/buyers/audit/verify", null),
                new Call("GET", "/v1/buyers/audit", null));
    }

    private static List<Call> internalCalls(String id) {
        return List.of(
                new Call("GET", "/internal/buyers/eligible", null),
                new Call("GET", "/internal/buyers/" + id + "/delivery", null),
                new Call("GET", "/internal/buyers/" + id + "/webhook-secrets", null));
    }

    private static io.restassured.response.Response send(RequestSpecification spec, Call call) {
        if (call.body != null) {
            spec = spec.contentType(ContentType.JSON).body(call.body);
        }
        return spec.request(call.method, call.path);
    }

    @Test
    void withoutATokenEverythingAnswers401() {
        String id = create().getString("id");
        for (Call call : concat(adminCalls(id), internalCalls(id),
                List.of(new Call("GET", "/v1/buyers/" + id, null),
                        new Call("POST", "/v1/buyers/" + id + "/webhook-secret/rotate", null)))) {
            send(given(), call).then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void adminEndpointsRefuseEveryOtherRole() {
        String id = create().getString("id");
        for (String role : List.of("buyer", "driver", "merchant", "publisher", "service")) {
            for (Call call : adminCalls(id)) {
                send(as(id, role), call).then().statusCode(403)
                        .body("type", equalTo("urn:nova:problem:forbidden"));
            }
        }
    }

    @Test
    void internalEndpointsAreForTheServiceRoleOnly() {
        String id = create().getString("id");
        for (String role : List.of("admin", "buyer", "driver", "publisher")) {
            for (Call call : internalCalls(id)) {
                send(as(id, role), call).then().statusCode(403);
            }
        }
        List<Call> calls = internalCalls(id);
        send(BuyerFixtures.service(), calls.get(0)).then().statusCode(200);
        send(BuyerFixtures.service(), calls.get(1)).then().statusCode(200);
        send(BuyerFixtures.gateway(), calls.get(2)).then().statusCode(200);
    }

    @Test
    void eachPeerReadsOnlyWhatItNeeds() {
        String id = create().getString("id");
        List<Call> calls = internalCalls(id);
        // The gateway verifies webhooks: it never reads delivery credentials or bidding fields.
        send(BuyerFixtures.gateway(), calls.get(0)).then().statusCode(403);
        send(BuyerFixtures.gateway(), calls.get(1)).then().statusCode(403);
        // auction-service delivers leads: it never reads webhook secrets.
        send(BuyerFixtures.service(), calls.get(2)).then().statusCode(403);
        // The gateway knows every buyer id (to refuse made-up ones without asking); nobody else reads the list.
        send(BuyerFixtures.gateway(), new Call("GET", "/internal/buyers/ids", null)).then().statusCode(200)
                .body("ids", org.hamcrest.Matchers.hasItem(id));
        send(BuyerFixtures.service(), new Call("GET", "/internal/buyers/ids", null)).then().statusCode(403);
        send(as(id, "admin"), new Call("GET", "/internal/buyers/ids", null)).then().statusCode(403);
        // Any other service name gets nothing.
        for (Call call : calls) {
            send(as("wallet-service", "service"), call).then().statusCode(403);
        }
    }

    @Test
    void theServiceRoleCountsOnlyUnderAServiceKey() throws Exception {
        String id = create().getString("id");
        // A user token (the identity provider's user key) that lists "service" in its groups.
        String forged = com.nova.kit.testing.DevIdentity.token(com.nova.kit.testing.TestTokens.KEYS,
                com.nova.kit.testing.DevIdentity.DEFAULT_ISSUER, "auction-service", List.of("service"), 600);
        for (Call call : internalCalls(id)) {
            send(given().header("Authorization", "Bearer " + forged), call).then().statusCode(403);
        }
    }

    @Test
    void aPeerCannotSignAsAnother() throws Exception {
        String id = create().getString("id");
        java.nio.file.Path keys = com.nova.kit.testing.TestTokens.KEYS;
        // The gateway's own key, a token claiming to be auction-service: the key names who may use it.
        String impostor = com.nova.kit.testing.DevIdentity.sign(
                com.nova.kit.testing.DevIdentity.readPrivateKey(com.nova.kit.testing.DevIdentity.servicePrivateKey(keys,
                        "webhook-gateway")),
                com.nova.kit.testing.DevIdentity.serviceKid(keys, "webhook-gateway"),
                com.nova.kit.testing.DevIdentity.DEFAULT_ISSUER, com.nova.kit.testing.DevIdentity.DEFAULT_AUDIENCE,
                "auction-service", List.of("service"), 600, Map.of());
        send(given().header("Authorization", "Bearer " + impostor), new Call("GET", "/internal/buyers/" + id + "/delivery", null))
                .then().statusCode(401);
        send(given().header("Authorization", "Bearer " + impostor), new Call("GET", "/internal/buyers/eligible", null))
                .then().statusCode(401);
    }

    @Test
    void serviceTokensOpenNoPublicEndpoint() {
        String id = create().getString("id");
        send(as("auction-service", "service"), new Call("GET", "/v1/buyers/" + id, null)).then().statusCode(403)
                .body("type", org.hamcrest.Matchers.endsWith("forbidden"));
        send(as("auction-service", "service"), new Call("GET", "/v1/buyers", null)).then().statusCode(403);
    }

    @Test
    void peersAreNotHeldToThePerUserLimit() {
        // auction-service fetches a buyer's endpoint for every delivery: far more than the
        // default class's 600 a minute per caller; the internal class allows it.
        String id = create().getString("id");
        for (int i = 0; i < 650; i++) {
            send(BuyerFixtures.service(), new Call("GET", "/internal/buyers/" + id + "/delivery", null)).then().statusCode(200);
        }
        send(BuyerFixtures.service(), new Call("GET", "/internal/buyers/eligible", null)).then().statusCode(200)
                .header("RateLimit-Limit", "600000");
    }

    @Test
    void aBuyerReadsAndRotatesOnlyItself() {
        String mine = create().getString("id");
        String other = create().getString("id");
        as(mine, "buyer").get("/v1/buyers/" + mine).then().statusCode(200).body("id", equalTo(mine));
        as(mine, "buyer").post("/v1/buyers/" + mine + "/webhook-secret/rotate").then().statusCode(200)
                .body("buyerId", equalTo(mine));
        // Another buyer's resources do not exist for this caller.
        as(mine, "buyer").get("/v1/buyers/" + other).then().statusCode(404)
                .body("type", equalTo("urn:nova:problem:not-found"))
                .body("detail", equalTo("Buyer was not found"));
        as(mine, "buyer").post("/v1/buyers/" + other + "/webhook-secret/rotate").then().statusCode(404);
        // Drivers and publishers are no buyers, even with a buyer's id as subject.
        as(other, "driver").get("/v1/buyers/" + other).then().statusCode(403);
        as(other, "publisher").post("/v1/buyers/" + other + "/webhook-secret/rotate").then().statusCode(403);
    }

    @SafeVarargs
    private static List<Call> concat(List<Call>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
