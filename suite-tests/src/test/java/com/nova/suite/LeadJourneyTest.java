package com.nova.suite;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

import io.restassured.http.ContentType;

/**
 * The lead marketplace through the real processes: a buyer onboarded in buyer-registry, a lead
 * checked against the TrustedForm and Radar stand-ins, sold in auction-service and delivered to
 * the buyer's endpoint, then returned by the buyer through a signed webhook that the gateway
 * verifies and forwards on auction.events: the lead ends RETURNED and its revenue nets to zero.
 */
@ExtendWith(RunningSuite.class)
class LeadJourneyTest {

    @Test
    void aLeadIsSoldDeliveredAndReturned() throws Exception {
        String admin = TestTokens.bearer("ops", "admin");
        var created = given().baseUri(RunningSuite.url("buyer-registry")).header("Authorization", admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Suite Solar", "verticals", List.of("solar"), "states", List.of("CA"),
                        "bidAmount", "31.17", "deliveryUrl", RunningSuite.url("stand-ins") + "/buyer/suite/leads",
                        "authConfig", Map.of("type", "bearer", "token", "suite-buyer-token-0123456789")))
                .post("/v1/buyers").then().statusCode(201).extract().jsonPath();
        String buyer = created.getString("id");
        String secret = created.getString("webhookSecret");

        long n = System.nanoTime() % 1_000_000;
        Map<String, Object> lead = Map.of("vertical", "solar", "firstName", "Grace", "lastName", "Hopper",
                "email", "grace." + n + "@example.com", "phone", String.format("(415) 555-%04d", n % 10_000),
                "zip", "94105", "state", "CA",
                "trustedFormCertUrl", "https://cert.trustedform.com/" + UUID.randomUUID().toString().replace("-", ""),
                "consent", true);
        String publisher = TestTokens.bearer("suite-publisher", "publisher");
        // The buyer list is cached by auction-service and dropped on buyers.events: wait for it to sell.
        String id = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            var r = given().baseUri(RunningSuite.url("auction-service")).header("Authorization", publisher)
                    .header("Idempotency-Key", "suite-" + n + "-" + System.nanoTime()).contentType(ContentType.JSON).body(lead)
                    .post("/v1/leads");
            return r.statusCode() == 201 && "SOLD".equals(r.jsonPath().getString("status")) ? r.jsonPath().getString("id") : null;
        }, java.util.Objects::nonNull);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(
                given().baseUri(RunningSuite.url("auction-service")).header("Authorization", publisher)
                        .get("/v1/leads/" + id).jsonPath().getString("delivery")));

        String body = "{\"type\":\"lead.returned\",\"leadId\":\"" + id + "\",\"reason\":\"wrong number\"}";
        String msg = "msg_" + UUID.randomUUID().toString().replace("-", "");
        long t = System.currentTimeMillis() / 1000;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String sig = "v1," + Base64.getEncoder().encodeToString(mac.doFinal((msg + "." + t + "." + body).getBytes(StandardCharsets.UTF_8)));
        given().baseUri(RunningSuite.url("webhook-gateway")).contentType(ContentType.JSON).header("webhook-id", msg)
                .header("webhook-timestamp", Long.toString(t)).header("webhook-signature", sig).body(body)
                .post("/webhooks/buyers/" + buyer).then().statusCode(200).body("status", equalTo("forwarded"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "RETURNED".equals(
                given().baseUri(RunningSuite.url("auction-service")).header("Authorization", publisher)
                        .get("/v1/leads/" + id).jsonPath().getString("status")));
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        var report = given().baseUri(RunningSuite.url("auction-service")).header("Authorization", admin)
                .queryParam("from", today).queryParam("to", tomorrow).queryParam("groupBy", "buyer")
                .get("/v1/reports/revenue").then().statusCode(200).extract().jsonPath();
        assertEquals("0.00", report.getString("rows.find { it.key == '" + buyer + "' }.price"));
        assertEquals(1, report.getInt("rows.find { it.key == '" + buyer + "' }.returns"));
    }
}
