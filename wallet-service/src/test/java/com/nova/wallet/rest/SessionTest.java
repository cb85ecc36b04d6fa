package com.nova.wallet.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.kit.testing.TestRequests;
import com.nova.kit.testing.TestTokens;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The token in an httpOnly cookie, CSRF on cookie-authenticated writes, CORS for configured origins only. */
@QuarkusTest
@WalletTest
class SessionTest {

    @Test
    void theWholeBrowserFlow() {
        String driver = "driver-s-" + UUID.randomUUID().toString().substring(0, 6);
        String bearer = TestTokens.bearer(driver, "driver");
        Response login = given().header("Authorization", bearer).post("/v1/session");
        login.then().statusCode(200).header("Cache-Control", "no-store").body("subject", equalTo(driver));
        List<String> setCookies = login.headers().getValues("Set-Cookie");
        String session = setCookies.stream().filter(c -> c.startsWith("nova_session=")).findFirst().orElseThrow();
        String csrfCookie = setCookies.stream().filter(c -> c.startsWith("nova_csrf=")).findFirst().orElseThrow();
        assertTrue(session.contains("HttpOnly") && session.contains("Secure") && session.contains("SameSite=Strict"), session);
        // The CSRF cookie is httpOnly too: a page learns the value from the session answers, never from document.cookie.
        assertTrue(csrfCookie.contains("HttpOnly") && csrfCookie.contains("Secure") && csrfCookie.contains("SameSite=Strict"), csrfCookie);
        String token = session.substring("nova_session=".length(), session.indexOf(';'));
        String csrf = login.jsonPath().getString("csrfToken");
        assertEquals(csrf, csrfCookie.substring("nova_csrf=".length(), csrfCookie.indexOf(';')));
        // A page loaded again asks which session its cookie carries, and gets the same CSRF value.
        given().cookie("nova_session", token).cookie("nova_csrf", csrf).get("/v1/session").then().statusCode(200)
                .header("Cache-Control", "no-store").body("subject", equalTo(driver)).body("csrfToken", equalTo(csrf));
        given().get("/v1/session").then().statusCode(401);

        // Reads with the cookie alone.
        given().cookie("nova_session", token).get("/v1/wallets/me").then().statusCode(200).body("driverId", equalTo(driver));
        // A write with the cookie but without the CSRF header is refused before anything happens.
        given().cookie("nova_session", token).cookie("nova_csrf", csrf).header("Idempotency-Key", "key-" + UUID.randomUUID())
                .contentType(ContentType.JSON).body(Map.of("merchantId", "m", "amount", 1))
                .post("/v1/wallets/me/redemptions").then().statusCode(403)
                .body("type", equalTo("urn:nova:problem:csrf-token-invalid"));
        given().cookie("nova_session", token).cookie("nova_csrf", csrf).header("X-CSRF-Token", "forged-" + csrf)
                .header("Idempotency-Key", "key-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("merchantId", "m", "amount", 1)).post("/v1/wallets/me/redemptions").then().statusCode(403);
        // With it, the request goes through (and is refused on its merits: an empty wallet).
        given().cookie("nova_session", token).cookie("nova_csrf", csrf).header("X-CSRF-Token", csrf)
                .header("Idempotency-Key", "key-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("merchantId", "m", "amount", 1)).post("/v1/wallets/me/redemptions").then().statusCode(409);
        // Bearer clients are not cookie-authenticated and need no CSRF token.
        given().header("Authorization", bearer).header("Idempotency-Key", "key-" + UUID.randomUUID())
                .contentType(ContentType.JSON).body(Map.of("merchantId", "m", "amount", 1))
                .post("/v1/wallets/me/redemptions").then().statusCode(409);
        // A forged cookie is no session.
        given().cookie("nova_session", "not.a.jwt").get("/v1/wallets/me").then().statusCode(401);

        // Logout clears both cookies.
        Response logout = given().cookie("nova_session", token).cookie("nova_csrf", csrf).header("X-CSRF-Token", csrf)
                .delete("/v1/session");
        logout.then().statusCode(204);
        assertTrue(logout.headers().getValues("Set-Cookie").stream().allMatch(c -> c.contains("Max-Age=0")));
        given().post("/v1/session").then().statusCode(401);
    }

    @Test
    void aCookieAuthenticatedWriteIsCsrfCheckedWhateverOtherHeadersItCarries() {
        String driver = "driver-c-" + UUID.randomUUID().toString().substring(0, 6);
        Response login = TestRequests.as(driver, "driver").post("/v1/session");
        String csrf = login.jsonPath().getString("csrfToken");
        String token = login.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("nova_session="))
                .findFirst().map(c -> c.substring("nova_session=".length(), c.indexOf(';'))).orElseThrow();
        // Another scheme in Authorization leaves the cookie as the credential: the CSRF check still applies.
        given().cookie("nova_session", token).cookie("nova_csrf", csrf).header("Authorization", "Basic dXNlcjpwYXNz")
                .header("Idempotency-Key", "key-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("merchantId", "m", "amount", 1)).post("/v1/wallets/me/redemptions").then().statusCode(403)
                .body("type", equalTo("urn:nova:problem:csrf-token-invalid"));
        given().cookie("nova_session", token).cookie("nova_csrf", csrf).header("Authorization", "Basic dXNlcjpwYXNz")
                .delete("/v1/session").then().statusCode(403);
        // A second, empty session cookie (tossed in from a sibling subdomain) does not switch the check off.
        int status = given().header("Cookie", "nova_session=; nova_session=" + token + "; nova_csrf=" + csrf)
                .header("Idempotency-Key", "key-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body(Map.of("merchantId", "m", "amount", 1)).post("/v1/wallets/me/redemptions").statusCode();
        assertTrue(status == 403 || status == 401, "refused, not let through: " + status);
    }

    @Test
    void theSessionCookieHoldsOnlyTheTokenThatWasVerified() {
        String driver = "driver-v-" + UUID.randomUUID().toString().substring(0, 6);
        String valid = TestTokens.token(driver, "driver");
        // Two Authorization headers: authentication verifies the first; the joined header text is no token.
        Response twice = given().header("Authorization", "Bearer " + valid).header("Authorization", "Bearer junk.junk.junk")
                .post("/v1/session");
        twice.then().statusCode(400).body("type", equalTo("urn:nova:problem:bearer-token-required"));
        assertTrue(twice.headers().getValues("Set-Cookie").isEmpty(), "no cookie is set");
        Response once = given().header("Authorization", "Bearer " + valid).post("/v1/session");
        once.then().statusCode(200);
        assertTrue(once.headers().getValues("Set-Cookie").contains(once.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("nova_session=" + valid + ";")).findFirst().orElse("missing")));
    }

    @Test
    void aServiceTokenBecomesNoBrowserSession() {
        TestRequests.as("webhook-gateway", "service").post("/v1/session").then()
                .statusCode(403).body("type", equalTo("urn:nova:problem:forbidden"));
    }

    @Test
    void corsAllowsCredentialsOnlyForConfiguredOrigins() {
        given().header("Origin", "https://app.nova.test").header("Access-Control-Request-Method", "POST")
                .options("/v1/wallets/me/redemptions").then()
                .header("Access-Control-Allow-Origin", "https://app.nova.test")
                .header("Access-Control-Allow-Credentials", "true");
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/wallets/me/redemptions").then()
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").get("/v1/config").then()
                .header("Access-Control-Allow-Origin", not(containsString("evil")));
    }
}
