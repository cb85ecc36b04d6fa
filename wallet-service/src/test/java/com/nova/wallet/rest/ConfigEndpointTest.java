package com.nova.wallet.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import com.nova.wallet.DevSignIn;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;

/** Public, cacheable front-end configuration with an ETag. */
@QuarkusTest
@WalletTest
class ConfigEndpointTest {

    @Test
    void configIsPublicCacheableAndRevalidatedByETag() {
        String etag = given().get("/v1/config").then().statusCode(200)
                .header("Cache-Control", containsString("max-age"))
                // Tests serve the app from the API's origin (DevSignIn), as the ingress does.
                .body("apiBaseUrl", equalTo("/"))
                .body("identity.authorizationEndpoint", equalTo(DevSignIn.provider().url("/authorize")))
                .body("identity.tokenEndpoint", equalTo(DevSignIn.provider().url("/token")))
                .body("identity.clientId", equalTo("nova-driver-app"))
                .body("features.redemptions", equalTo(true))
                .body(not(containsString("secret")))
                .extract().header("ETag");
        given().header("If-None-Match", etag).get("/v1/config").then().statusCode(304);
        given().header("If-None-Match", "\"stale\"").get("/v1/config").then().statusCode(200);
    }
}
