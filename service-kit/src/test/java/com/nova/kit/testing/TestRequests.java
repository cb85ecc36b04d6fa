package com.nova.kit.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** Requests to the service under test as a caller with a token from {@link TestTokens}. */
public final class TestRequests {

    private TestRequests() {
    }

    /** A request carrying {@code subject}'s bearer token with {@code roles} (exactly {@code service}: a service's own token). */
    public static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", TestTokens.bearer(subject, roles));
    }
}
