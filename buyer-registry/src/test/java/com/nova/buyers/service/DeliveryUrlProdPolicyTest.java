package com.nova.buyers.service;

import static com.nova.buyers.BuyerFixtures.admin;
import static com.nova.buyers.BuyerFixtures.body;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nova.buyers.BuyerFixtures;
import com.nova.buyers.BuyerRegistryTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With the prod settings, a delivery URL is https to a public address, or refused (SSRF). */
@QuarkusTest
@TestProfile(DeliveryUrlProdPolicyTest.ProdUrlRules.class)
@BuyerRegistryTest
class DeliveryUrlProdPolicyTest {

    public static class ProdUrlRules implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("buyers.delivery-url.require-https", "true",
                    "buyers.delivery-url.allow-private-network", "false");
        }
    }

    @Test
    void internalAndPlainHttpTargetsAreRefused() {
        for (String url : List.of("http://93.184.216.34/leads", "https://127.0.0.1/leads", "https://localhost:8443/x",
                "https://10.1.2.3/x", "https://172.16.0.9/x", "https://192.168.1.1/x", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/x", "https://[fd00::1]/x", "https://[::ffff:10.0.0.1]/x", "https://100.64.0.1/x",
                "https://0.0.0.0/x", "https://no-such-host.invalid/x")) {
            Map<String, Object> body = body();
            body.put("deliveryUrl", url);
            admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then()
                    .statusCode(400)
                    .body("errors.field", hasItem("deliveryUrl"));
        }
        Map<String, Object> body = body();
        body.put("deliveryUrl", "https://93.184.216.34/leads");
        admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then().statusCode(201)
                .body("deliveryUrl", equalTo("https://93.184.216.34/leads"));
    }

    @Test
    void patchingTheUrlIsCheckedToo() {
        Map<String, Object> body = body();
        body.put("deliveryUrl", "https://93.184.216.34/leads");
        String id = BuyerFixtures.create(body).getString("id");
        admin().contentType(ContentType.JSON).body(Map.of("deliveryUrl", "https://127.0.0.1/x"))
                .patch("/v1/buyers/" + id).then().statusCode(400).body("errors.field", hasItem("deliveryUrl"));
    }
}
