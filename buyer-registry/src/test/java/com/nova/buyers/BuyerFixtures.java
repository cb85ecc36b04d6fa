package com.nova.buyers;

import static com.nova.kit.testing.TestRequests.as;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nova.kit.testing.TestDatabase;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Requests and database access shared by buyer-registry's tests. */
public final class BuyerFixtures {

    public static final String DB = "buyer_registry_test";

    private BuyerFixtures() {
    }

    public static Connection db() throws SQLException {
        return TestDatabase.connect(DB);
    }

    public static long count(String sql) {
        return TestDatabase.count(DB, sql);
    }

    public static RequestSpecification admin() {
        return as("ops-admin", "admin");
    }

    /** auction-service's service token: bidding fields and delivery credentials. */
    public static RequestSpecification service() {
        return as("auction-service", "service");
    }

    /** webhook-gateway's service token: webhook secrets. */
    public static RequestSpecification gateway() {
        return as("webhook-gateway", "service");
    }

    /** A valid creation body; tests change what they need. */
    public static Map<String, Object> body() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Acme Solar Leads");
        body.put("verticals", List.of("solar", "roofing"));
        body.put("states", List.of("CA", "TX"));
        body.put("zipPrefixes", List.of("90", "733"));
        body.put("bidAmount", "30.00");
        body.put("priority", 5);
        body.put("caps", Map.of("daily", 100, "monthly", 2000));
        body.put("dailyBudget", "2500.00");
        body.put("deliveryUrl", "http://127.0.0.1:9/leads");
        body.put("authConfig", Map.of("type", "bearer", "token", "tok_" + UUID.randomUUID().toString().replace("-", "")));
        return body;
    }

    public static JsonPath create(Map<String, Object> body) {
        return admin().contentType(ContentType.JSON).body(body).post("/v1/buyers").then().statusCode(201).extract()
                .jsonPath();
    }

    public static JsonPath create() {
        return create(body());
    }
}
