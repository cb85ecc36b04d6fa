package com.nova.buyers.service;

import static com.nova.buyers.BuyerFixtures.admin;
import static com.nova.buyers.BuyerFixtures.create;
import static com.nova.buyers.BuyerFixtures.gateway;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.nova.buyers.BuyerFixtures;
import com.nova.buyers.BuyerRegistryTest;
import com.nova.buyers.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Webhook secret rotation: old and new both verify during the grace period, only the new after it. */
@QuarkusTest
@BuyerRegistryTest
class WebhookSecretRotationTest {

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static List<String> valid(String id) {
        return gateway().get("/internal/buyers/" + id + "/webhook-secrets").then().statusCode(200).extract()
                .jsonPath().getList("secrets.secret");
    }

    @Test
    void previousSecretVerifiesThroughTheGracePeriodThenStops() throws Exception {
        JsonPath created = create();
        String id = created.getString("id");
        String first = created.getString("webhookSecret");
        gateway().get("/internal/buyers/" + id + "/webhook-secrets").then().statusCode(200)
                .body("status", equalTo("ACTIVE"))
                .body("secrets", hasSize(1))
                .body("secrets[0].secret", equalTo(first))
                .body("secrets[0].expiresAt", nullValue());

        JsonPath rotated = admin().post("/v1/buyers/" + id + "/webhook-secret/rotate").then().statusCode(200)
                .body("previousValidUntil", notNullValue()).extract().jsonPath();
        String second = rotated.getString("webhookSecret");
        OffsetDateTime until = OffsetDateTime.parse(rotated.getString("previousValidUntil"));
        Duration grace = Duration.between(OffsetDateTime.now(), until);
        assertEquals(24, Math.round(grace.toMinutes() / 60.0), "default grace period is 24 h");
        assertEquals(List.of(second, first), valid(id));

        clock.advance(Duration.ofHours(23));
        assertEquals(List.of(second, first), valid(id), "still inside the grace period");
        clock.advance(Duration.ofHours(1).plusSeconds(5));
        assertEquals(List.of(second), valid(id), "the grace period is over");

        String third = admin().post("/v1/buyers/" + id + "/webhook-secret/rotate").then().statusCode(200).extract()
                .path("webhookSecret");
        assertEquals(List.of(third, second), valid(id));
        assertEquals(2, BuyerFixtures.count("select count(*) from buyer_webhook_secret where buyer_id = '" + id + "'"),
                "expired secrets are deleted, not kept");
    }

    @Test
    void concurrentRotationsLeaveExactlyOneCurrentSecret() throws Exception {
        String id = create().getString("id");
        List<CompletableFuture<String>> calls = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> admin()
                        .post("/v1/buyers/" + id + "/webhook-secret/rotate").then().statusCode(200).extract()
                        .<String>path("webhookSecret")))
                .toList();
        Set<String> secrets = new HashSet<>();
        for (CompletableFuture<String> call : calls) {
            secrets.add(call.get());
        }
        assertEquals(8, secrets.size());
        assertEquals(1, BuyerFixtures.count(
                "select count(*) from buyer_webhook_secret where buyer_id = '" + id + "' and expires_at is null"));
        assertEquals(3, valid(id).size(), "the current secret and at most two previous ones verify");
    }

    @Test
    void repeatedRotationsKeepAtMostTwoPreviousSecretsValid() {
        String id = create().getString("id");
        String first = valid(id).get(0);
        String second = admin().post("/v1/buyers/" + id + "/webhook-secret/rotate").then().statusCode(200).extract()
                .path("webhookSecret");
        String third = admin().post("/v1/buyers/" + id + "/webhook-secret/rotate").then().statusCode(200).extract()
                .path("webhookSecret");
        assertEquals(List.of(third, second, first), valid(id));
        String fourth = admin().post("/v1/buyers/" + id + "/webhook-secret/rotate").then().statusCode(200).extract()
                .path("webhookSecret");
        // Inside its grace period, yet the oldest stops verifying at once: three are the most that verify.
        assertEquals(List.of(fourth, third, second), valid(id));
    }

    @Test
    void unknownBuyerHasNoSecrets() {
        gateway().get("/internal/buyers/00000000-0000-4000-8000-000000000000/webhook-secrets").then().statusCode(404)
                .contentType("application/problem+json");
        admin().post("/v1/buyers/00000000-0000-4000-8000-000000000000/webhook-secret/rotate").then().statusCode(404);
    }
}
