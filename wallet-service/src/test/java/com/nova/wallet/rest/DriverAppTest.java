package com.nova.wallet.rest;

import static com.nova.wallet.WalletFixtures.count;
import static com.nova.wallet.WalletFixtures.credit;
import static com.nova.wallet.WalletFixtures.driver;
import static com.nova.wallet.WalletFixtures.hold;
import static com.nova.wallet.WalletFixtures.wallet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import com.nova.kit.testing.HeadlessChromium;
import com.nova.kit.testing.TestTokens;
import com.nova.wallet.DevSignIn;
import com.nova.wallet.WalletTest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The driver app in a real browser (headless Chromium through WebDriver) against the running
 * service, its database and the development sign-in ({@link DevSignIn}, a real OAuth code + PKCE
 * server): configuration and its fallback, the whole sign-in with the httpOnly cookie and no
 * token anywhere a page script can read, redeeming with a double click, voiding a hold, hostile
 * text shown as text, a cross-site form refused, an ended session that keeps the driver's draft.
 * Screenshots of the main screens at a phone's and a desktop's size go to target/screenshots.
 */
@QuarkusTest
@WalletTest
class DriverAppTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TestHTTPResource("/app/")
    URL app;

    static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() {
        browser = HeadlessChromium.open(390, 844);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void freshBrowser() {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        browser.executeCdpCommand("Network.clearBrowserCache", Map.of());
        // Every site's cookies (deleteAllCookies clears only the current page's), and the app origin's storage.
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        browser.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", app.toString().replaceAll("/app/$", ""),
                "storageTypes", "local_storage,session_storage"));
        browser.manage().logs().get("performance"); // the network events of earlier tests
        REQUESTS.clear();
        RAW_STATUSES.clear();
        REPORTED.clear();
    }

    @AfterEach
    void providerAnswersAgain() {
        DevSignIn.provider().failNextTokenRequests(0, 503);
    }

    @Test
    void aDriverSignsInWithTheCookieOnlySeesTheWalletAndSignsOut() throws Exception {
        String driver = driver();
        credit(driver, 1234567);
        open();
        visible("signin");
        assertFalse(visible(By.id("notice")), "the configuration loaded: no fallback notice");
        signIn(driver);

        // The wallet, formatted for the browser's locale (en-US here), from API calls the cookie authenticated.
        assertEquals("1,234,567", text("available"));
        assertEquals("1,234,567", text("balance"));
        assertEquals("0", text("held"));
        assertTrue(text("next-expiry").startsWith("1,234,567 on "), text("next-expiry"));
        assertEquals(driver, text("who"));
        assertEquals(1, browser.findElements(By.cssSelector("#statement-table tbody tr")).size());

        // The token is in the httpOnly cookie and nowhere a page script can read it.
        Cookie session = browser.manage().getCookieNamed("nova_session");
        assertNotNull(session);
        assertTrue(session.isHttpOnly() && session.isSecure() && "Strict".equals(session.getSameSite()), session.toString());
        String token = session.getValue();
        assertTrue(token.split("\\.").length == 3, "a JWT: " + token);
        assertTrue(browser.manage().getCookieNamed("nova_csrf").isHttpOnly());
        assertEquals("", js("return document.cookie"));
        assertEquals(0L, js("return localStorage.length"));
        assertEquals(0L, js("return sessionStorage.length"));
        assertFalse(browser.getPageSource().contains(token));
        assertFalse(browser.getPageSource().contains(token.substring(token.lastIndexOf('.') + 1)));
        assertFalse(String.valueOf(js("return JSON.stringify(performance.getEntries())")).contains(token));

        screenshot("wallet");

        // Opening the app again with the cookie still valid lands on the wallet.
        browser.get(app.toString());
        visible("wallet");
        assertEquals("1,234,567", text("available"));

        // Signing out clears the cookie on the server's word; the API refuses the browser afterwards.
        browser.findElement(By.id("sign-out")).click();
        visible("signin");
        assertTrue(text("signin-message").contains("signed out"), text("signin-message"));
        assertNull(browser.manage().getCookieNamed("nova_session"));
        assertNull(browser.manage().getCookieNamed("nova_csrf"));
        assertEquals(401L, js("return fetch('/v1/wallets/me').then(r => r.status)"));
        browser.get(app.toString());
        visible("signin");
        screenshot("sign-in");
    }

    @Test
    void theAppIsKeyboardUsableAndEveryControlIsLabelled() {
        String driver = driver();
        credit(driver, 50);
        open();
        visible("signin");
        // Keys alone: Tab from the screen's heading reaches Sign in, Enter presses it.
        keys(org.openqa.selenium.Keys.TAB);
        assertEquals("sign-in", js("return document.activeElement.id"));
        keys(org.openqa.selenium.Keys.ENTER);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> browser.getCurrentUrl().contains("/authorize"));
        assertEquals("subject", js("return document.activeElement.id"), "the sign-in form's field has the focus");
        // The form suggests driver-42: End, nine backspaces, then the driver's id and Enter.
        keys(org.openqa.selenium.Keys.END);
        for (int i = 0; i < "driver-42".length(); i++) {
            keys(org.openqa.selenium.Keys.BACK_SPACE);
        }
        keys(driver, org.openqa.selenium.Keys.ENTER);
        visible("wallet");
        awaitText("available", "50");
        // Focus is on the wallet's heading; Tab walks the redeem form in order, Enter reviews and confirms.
        assertEquals("wallet-title", js("return document.activeElement.id"));
        keys(org.openqa.selenium.Keys.TAB);
        assertEquals("merchant", js("return document.activeElement.id"));
        keys("merchant-keys", org.openqa.selenium.Keys.TAB);
        assertEquals("points", js("return document.activeElement.id"));
        keys("20", org.openqa.selenium.Keys.ENTER);
        visible(By.id("redeem-confirm"));
        assertEquals("redeem-yes", js("return document.activeElement.id"));
        keys(org.openqa.selenium.Keys.ENTER);
        awaitText("available", "30");
        // Every input has a label, every button a name.
        assertEquals(0L, js("""
                return [...document.querySelectorAll('input')].filter(i => !i.labels || i.labels.length === 0).length"""));
        assertEquals(0L, js("""
                return [...document.querySelectorAll('button')].filter(b => !(b.getAttribute('aria-label') || b.textContent.trim())).length"""));
        assertEquals("en", js("return document.documentElement.lang"));
    }

    @Test
    void theConfigurationIsRevalidatedWithItsETag() {
        browser.manage().logs().get("performance"); // drop the events so far
        open();
        visible("signin");
        assertEquals(200, Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("/v1/config"), s -> s > 0));
        open();
        visible("signin");
        // The browser asked again with If-None-Match and took the 304 as its copy.
        assertEquals(304, Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("/v1/config"), s -> s > 0));
        assertFalse(visible(By.id("notice")));
    }

    @Test
    void withoutItsConfigurationTheAppUsesBuiltInDefaultsAndSaysSo() {
        String driver = driver();
        credit(driver, 75);
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/v1/config*")));
        open();
        visible("signin");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> visible(By.id("notice")));
        assertTrue(text("notice").contains("built-in defaults"), text("notice"));
        // The defaults know no identity provider: sign-in says why it cannot start, in words.
        browser.findElement(By.id("sign-in")).click();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> visible(By.id("error")));
        assertTrue(text("error-detail").contains("Sign-in is unavailable"), text("error-detail"));
        // A driver whose cookie is valid still gets their wallet: the defaults call the API on this origin.
        startSessionInPage(driver);
        open();
        visible("wallet");
        assertEquals("75", text("available"));
        assertTrue(visible(By.id("notice")));
    }

    @Test
    void aConfigurationSlowerThanThreeSecondsIsNotWaitedFor() {
        // Every request takes 4 s (DevTools network emulation): the app gives up on /v1/config at 3 s.
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 4000,
                "downloadThroughput", -1, "uploadThroughput", -1));
        try {
            open();
            // The page, its assets, the abandoned configuration and the session check each take their 4 s.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> visible(By.id("signin")));
            assertTrue(visible(By.id("notice")) && text("notice").contains("built-in defaults"), text("notice"));
        } finally {
            browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
        }
    }

    @Test
    void aDoubleClickOnConfirmRedeemsOnce() {
        String driver = driver();
        credit(driver, 1000);
        open();
        signIn(driver);
        browser.findElement(By.id("merchant")).sendKeys("merchant-cafe");
        browser.findElement(By.id("points")).sendKeys("120");
        browser.findElement(By.cssSelector("#redeem-form button[type=submit]")).click();
        visible(By.id("redeem-confirm"));
        assertEquals("Redeem 120 points at merchant-cafe?", text("redeem-question"));
        screenshot("redeem-confirm");
        new Actions(browser).doubleClick(browser.findElement(By.id("redeem-yes"))).perform();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> text("redeem-result").startsWith("Redeemed 120 points"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "880".equals(text("available")));
        // The statement shows the newest line first: this redemption.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.cssSelector("#statement-table tbody tr td.what"))
                .getText().startsWith("Redeemed · merchant-cafe"));
        assertEquals(1, count("select count(*) from ledger_transaction where driver_id = '" + driver + "' and kind = 'REDEEM' and status = 'COMMITTED'"));
        assertEquals(880, wallet(driver).getLong("balance"));

        // A refusal is shown in words with the request id for support; nothing is redeemed.
        browser.findElement(By.id("merchant")).sendKeys("merchant-cafe");
        browser.findElement(By.id("points")).sendKeys("5000");
        browser.findElement(By.cssSelector("#redeem-form button[type=submit]")).click();
        browser.findElement(By.id("redeem-yes")).click();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> visible(By.id("error")));
        assertEquals("The balance does not cover 5000 points", text("error-detail"));
        assertTrue(text("error-request-id").matches("[0-9a-f-]{36}"), text("error-request-id"));
        assertEquals(880, wallet(driver).getLong("balance"));
        // Bad input is explained before anything is sent, and the field gets the focus.
        browser.findElement(By.id("points")).clear();
        browser.findElement(By.id("points")).sendKeys("12.5");
        browser.findElement(By.cssSelector("#redeem-form button[type=submit]")).click();
        assertTrue(text("redeem-invalid").contains("whole number"), text("redeem-invalid"));
        assertEquals("points", js("return document.activeElement.id"));
        assertEquals(1, count("select count(*) from ledger_transaction where driver_id = '" + driver + "' and kind = 'REDEEM' and status = 'COMMITTED'"));
    }

    @Test
    void anAnswerLostOnTheWayIsRetriedWithTheSameKeyAndRedeemsOnce() {
        String driver = driver();
        credit(driver, 1000);
        // The first redemption reaches the service and commits, but its answer is lost on the way back (the
        // connection drops), as on a phone going into a tunnel.
        browser.executeCdpCommand("Page.enable", Map.of());
        String lose = browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                const realFetch = window.fetch;
                let lost = false;
                window.fetch = async (input, init) => {
                  const res = await realFetch(input, init);
                  if (String(input).includes('/v1/wallets/me/redemptions') && !lost) {
                    lost = true;
                    throw new TypeError('Failed to fetch');
                  }
                  return res;
                };""")).get("identifier").toString();
        try {
            open();
            signIn(driver);
            browser.findElement(By.id("merchant")).sendKeys("merchant-tunnel");
            browser.findElement(By.id("points")).sendKeys("250");
            browser.findElement(By.cssSelector("#redeem-form button[type=submit]")).click();
            browser.findElement(By.id("redeem-yes")).click();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> text("redeem-result").startsWith("Not confirmed yet"));
            assertEquals(1, count("select count(*) from ledger_transaction where driver_id = '" + driver
                    + "' and kind = 'REDEEM' and status = 'COMMITTED'"), "the first try did commit");
            // Confirm again: the same Idempotency-Key, so the service answers the first redemption again.
            browser.findElement(By.id("redeem-yes")).click();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> text("redeem-result").startsWith("Redeemed 250 points"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "750".equals(text("available")));
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", lose));
        }
        assertEquals(1, count("select count(*) from ledger_transaction where driver_id = '" + driver + "' and kind = 'REDEEM'"));
        assertEquals(750, wallet(driver).getLong("balance"));
    }

    @Test
    void aDriverVoidsAChargingSessionHold() {
        String driver = driver();
        credit(driver, 500);
        String holdId = hold(driver, "hold-" + UUID.randomUUID(), "charger-7", 200).then().statusCode(201).extract().path("holdId");
        open();
        signIn(driver);
        assertEquals("300", text("available"));
        assertEquals("200", text("held"));
        List<WebElement> holds = browser.findElements(By.cssSelector("#holds-list li"));
        assertEquals(1, holds.size());
        assertEquals(holdId, holds.get(0).getAttribute("data-hold-id"));
        assertTrue(holds.get(0).getText().contains("200 points for charger-7"), holds.get(0).getText());
        screenshot("holds");
        holds.get(0).findElement(By.cssSelector("button.void")).click();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> text("holds-result").startsWith("Hold voided"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "500".equals(text("available")));
        assertTrue(browser.findElements(By.cssSelector("#holds-list li")).isEmpty());
        assertEquals("voided", RestAssured.given().header("Authorization", TestTokens.bearer(driver, "driver"))
                .get("/v1/wallets/me/holds/" + holdId).then().statusCode(200).extract().path("status"));
    }

    @Test
    void hostileTextFromTheApiOrTheIdentityProviderIsShownAsText() {
        String driver = driver();
        credit(driver, 500);
        String payload = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
        // A link someone sent, with an error text of their own: the app started no sign-in, so it shows none of it.
        browser.get(app + "?error=access_denied&state=x&error_description="
                + java.net.URLEncoder.encode("Call 0800 000 to restore your points", StandardCharsets.UTF_8));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> visible(By.id("error")));
        assertEquals("This sign-in was not started in this tab, or has already been used. Sign in again.", text("error-detail"));
        // The identity provider's error description, as it comes back in the redirect of a sign-in this tab started.
        open();
        visible("signin");
        browser.findElement(By.id("sign-in")).click();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> browser.getCurrentUrl().startsWith(DevSignIn.provider().url("/authorize")));
        String state = new io.netty.handler.codec.http.QueryStringDecoder(browser.getCurrentUrl()).parameters().get("state").get(0);
        browser.get(app + "?error=access_denied&state=" + state + "&error_description="
                + java.net.URLEncoder.encode(payload, StandardCharsets.UTF_8));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> visible(By.id("error")));
        assertEquals("Sign-in did not complete: " + payload, text("error-detail"));
        assertEquals(0L, js("return window.pwned || 0"));
        assertTrue(browser.findElements(By.cssSelector("main img, main script, #error img, #error script")).isEmpty());

        // The API refuses such merchant ids, so hostile answers are put in the page's way before it loads: a hold whose
        // merchant id is markup, and a refusal whose detail is markup.
        browser.executeCdpCommand("Page.enable", Map.of());
        String hostile = browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                const realFetch = window.fetch;
                window.fetch = async (input, init) => {
                  const url = String(input);
                  if (url.includes('/v1/wallets/me/redemptions')) {
                    return new Response(JSON.stringify({ type: 'urn:nova:problem:x', status: 409, detail: %s, requestId: %s }),
                        { status: 409, headers: { 'Content-Type': 'application/problem+json' } });
                  }
                  const res = await realFetch(input, init);
                  if (url.includes('/v1/wallets/me/holds')) {
                    const page = await res.json();
                    page.items = [{ holdId: '00000000-0000-0000-0000-000000000001', merchantId: %s, status: 'active', amount: 7,
                                    expiresAt: new Date(Date.now() + 3600000).toISOString() }];
                    return new Response(JSON.stringify(page), { status: 200, headers: { 'Content-Type': 'application/json' } });
                  }
                  return res;
                };""".formatted(jsString("Refused: " + payload), jsString("<b>id</b>"), jsString(payload)))).get("identifier").toString();
        try {
            open();
            signIn(driver);
            WebElement item = browser.findElement(By.cssSelector("#holds-list li .hold-text"));
            assertTrue(item.getText().contains("7 points for " + payload), item.getText());
            browser.findElement(By.id("merchant")).sendKeys("merchant-x");
            browser.findElement(By.id("points")).sendKeys("1");
            browser.findElement(By.cssSelector("#redeem-form button[type=submit]")).click();
            browser.findElement(By.id("redeem-yes")).click();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> visible(By.id("error")));
            assertEquals("Refused: " + payload, text("error-detail"));
            assertEquals("<b>id</b>", text("error-request-id"));
            assertEquals(0L, js("return window.pwned || 0"));
            assertTrue(browser.findElements(By.cssSelector("main img, main script, main b, #error img, #error script, #error b")).isEmpty());
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", hostile));
        }
    }

    @Test
    void aFormPostedFromAnotherSiteOrOriginRedeemsNothing() throws Exception {
        String driver = driver();
        credit(driver, 400);
        open();
        signIn(driver);
        String target = app.toString().replace("/app/", "/v1/wallets/me/redemptions");
        // A JSON-looking text/plain body, the classic way around a JSON API's content type.
        String form = """
                <!doctype html><html><body><form id="f" method="post" enctype="text/plain" action="%s">
                <input name='{"merchantId":"evil","amount":400,"x":"' value='"}'></form>
                <script>document.getElementById('f').submit()</script></body></html>""".formatted(target);
        com.sun.net.httpserver.HttpServer evil = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/", ex -> {
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        evil.start();
        try {
            // Another site (127.0.0.1 is not localhost): the SameSite=Strict cookie does not even come along, and the
            // origin is not one CORS allows.
            browser.manage().logs().get("performance"); // drop the events so far
            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            int crossSite = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("/v1/wallets/me/redemptions"), s -> s > 0);
            assertEquals(403, crossSite, "refused for its origin (CORS)");
            // The same site on another port (another origin, and the cookie comes along): refused all the same.
            browser.get("http://localhost:" + evil.getAddress().getPort() + "/");
            int sameSite = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("/v1/wallets/me/redemptions"), s -> s > 0);
            assertEquals(403, sameSite, "refused for its origin (CORS)");
        } finally {
            evil.stop(0);
        }
        // A script that got onto our own origin somehow, with the cookie and JSON but without the CSRF value: refused.
        open();
        visible("wallet");
        assertEquals("403 urn:nova:problem:csrf-token-invalid", js("""
                return fetch('/v1/wallets/me/redemptions', {method: 'POST', headers: {'Content-Type': 'application/json',
                    'Idempotency-Key': 'forged-0123456789'}, body: JSON.stringify({merchantId: 'evil', amount: 400})})
                  .then(r => r.json().then(p => r.status + ' ' + p.type))"""));
        assertEquals(0, count("select count(*) from ledger_transaction where driver_id = '" + driver + "' and kind = 'REDEEM' and status = 'COMMITTED'"));
        assertEquals(400, wallet(driver).getLong("balance"));
    }

    @Test
    void anEndedSessionSendsTheDriverToSignInAndKeepsTheirDraft() {
        String driver = driver();
        credit(driver, 300);
        open();
        signIn(driver);
        browser.findElement(By.id("merchant")).sendKeys("merchant-late");
        browser.findElement(By.id("points")).sendKeys("30");
        // The browser drops the cookie when the token expires (its Max-Age is the token's lifetime).
        browser.manage().deleteCookieNamed("nova_session");
        browser.findElement(By.cssSelector("#redeem-form button[type=submit]")).click();
        browser.findElement(By.id("redeem-yes")).click();
        visible("signin");
        assertTrue(text("signin-message").contains("session has ended") && text("signin-message").contains("kept"),
                text("signin-message"));
        signIn(driver);
        assertEquals("merchant-late", browser.findElement(By.id("merchant")).getAttribute("value"));
        assertEquals("30", browser.findElement(By.id("points")).getAttribute("value"));
        assertTrue(text("redeem-result").contains("review it again"), text("redeem-result"));
        assertEquals(0L, js("return sessionStorage.length"));
        assertEquals(0, count("select count(*) from ledger_transaction where driver_id = '" + driver + "' and kind = 'REDEEM' and status = 'COMMITTED'"));
    }

    @Test
    void theIdentityProvidersRefusalsAndOutagesAreShownAndASecondTryWorks() {
        String driver = driver();
        credit(driver, 10);
        DevSignIn.provider().failNextTokenRequests(1, 503);
        open();
        statusOf("/app/"); // start noting the addresses the browser opens
        signIn(driver, false);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> visible(By.id("error")));
        assertTrue(text("error-detail").contains("temporarily_unavailable"), text("error-detail"));
        visible("signin");
        assertNull(browser.manage().getCookieNamed("nova_session"));
        // Signing in again starts a new code flow, and it works.
        signIn(driver);
        assertEquals("10", text("available"));
        // The very redirect that signed the driver in, opened again: refused in words, nobody signed in.
        statusOf("/app/"); // read the network events of the sign-in
        String back = REQUESTS.values().stream().filter(u -> u.startsWith(app + "?code=")).reduce((a, b) -> b).orElseThrow();
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        browser.get(back);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> visible(By.id("error")));
        assertTrue(text("error-detail").contains("not started in this tab"), text("error-detail"));
        visible("signin");
        assertNull(browser.manage().getCookieNamed("nova_session"));
        // And the code in it is spent at the identity provider too.
        var parameters = new io.netty.handler.codec.http.QueryStringDecoder(back).parameters();
        RestAssured.given().baseUri(DevSignIn.provider().url("")).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", parameters.get("code").get(0))
                .formParam("redirect_uri", app.toString()).formParam("client_id", "nova-driver-app").formParam("code_verifier", "x".repeat(43))
                .post("/token").then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("invalid_grant"));
    }

    @Test
    void thePageAndItsAssetsCarryTheirPoliciesAndCaching() {
        var page = RestAssured.given().get("/app/").then().statusCode(200).extract();
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval")
                && csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains(DevSignIn.provider().url("").replaceAll("/$", "")), "the token endpoint may be called: " + csp);
        assertEquals("no-store", page.header("Cache-Control"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertEquals("no-referrer", page.header("Referrer-Policy"));
        String html = page.body().asString();
        assertFalse(html.contains("<script>") || html.contains("style="), "no inline script or style");
        java.util.regex.Matcher js = java.util.regex.Pattern.compile("/app/assets/app\\.[0-9a-f]{16}\\.js").matcher(html);
        assertTrue(js.find(), html);
        RestAssured.given().get(js.group()).then().statusCode(200)
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/javascript"))
                .header("Content-Security-Policy", csp);
        RestAssured.given().get("/app/assets/app.0000000000000000.js").then().statusCode(404)
                .contentType("application/problem+json");
        // The development sign-in redirects only to its registered addresses, and lets only their origins read tokens.
        String challenge = "c".repeat(43);
        RestAssured.given().baseUri(DevSignIn.provider().url("")).redirects().follow(false)
                .queryParam("response_type", "code").queryParam("client_id", "nova-driver-app").queryParam("state", "s")
                .queryParam("redirect_uri", "https://evil.example/app/").queryParam("code_challenge", challenge)
                .queryParam("code_challenge_method", "S256").get("/authorize").then().statusCode(400)
                .header("Location", org.hamcrest.Matchers.nullValue());
        RestAssured.given().baseUri(DevSignIn.provider().url("")).redirects().follow(false)
                .queryParam("response_type", "code").queryParam("client_id", "another-client").queryParam("state", "s")
                .queryParam("redirect_uri", app.toString()).queryParam("code_challenge", challenge)
                .queryParam("code_challenge_method", "S256").get("/authorize").then().statusCode(400)
                .header("Location", org.hamcrest.Matchers.nullValue());
        RestAssured.given().baseUri(DevSignIn.provider().url("")).header("Origin", "https://evil.example")
                .formParam("grant_type", "authorization_code").formParam("code", "x").post("/token").then().statusCode(400)
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    // ---------- helpers ----------

    private void open() {
        browser.get(app.toString());
    }

    /** The whole sign-in: the app's button, the identity provider's form, back to the wallet. */
    private void signIn(String driver) {
        signIn(driver, true);
    }

    private void signIn(String driver, boolean expectWallet) {
        visible("signin");
        browser.findElement(By.id("sign-in")).click();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> browser.getCurrentUrl().startsWith(DevSignIn.provider().url("/authorize")));
        assertTrue(browser.getPageSource().contains("not the real identity provider"));
        WebElement subject = browser.findElement(By.id("subject"));
        subject.clear();
        subject.sendKeys(driver);
        browser.findElement(By.cssSelector("button[value=sign-in]")).click();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> browser.getCurrentUrl().startsWith(app.toString()));
        if (expectWallet) {
            visible("wallet");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !"–".equals(text("available")));
        }
    }

    /** A session cookie made by the page itself, from a token the test signs (the app's sign-in is not configured). */
    private void startSessionInPage(String driver) {
        assertEquals(200L, js("return fetch('/v1/session', {method: 'POST', headers: {Authorization: arguments[0]}}).then(r => r.status)",
                TestTokens.bearer(driver, "driver")));
    }

    /** Every request the browser made in this test, by DevTools request id: its URL (events may come in separate reads). */
    static final Map<String, String> REQUESTS = new java.util.LinkedHashMap<>();
    /** The raw status of each answered request, by request id (its event may come before the request's own). */
    static final Map<String, Integer> RAW_STATUSES = new java.util.HashMap<>();
    /** Requests whose status a call has already returned. */
    static final java.util.Set<String> REPORTED = new java.util.HashSet<>();

    /**
     * The status the server sent last, among answers not returned before, for a URL containing {@code path} (0: none
     * yet), from DevTools' network events: the raw status (a 304 the browser answered from its copy stays a 304).
     */
    private static int statusOf(String path) {
        for (org.openqa.selenium.logging.LogEntry entry : browser.manage().logs().get("performance")) {
            io.vertx.core.json.JsonObject message = new io.vertx.core.json.JsonObject(entry.getMessage()).getJsonObject("message");
            io.vertx.core.json.JsonObject params = message.getJsonObject("params");
            switch (String.valueOf(message.getString("method"))) {
                case "Network.requestWillBeSent" -> REQUESTS.put(params.getString("requestId"),
                        params.getJsonObject("request").getString("url"));
                case "Network.responseReceivedExtraInfo" -> RAW_STATUSES.put(params.getString("requestId"), params.getInteger("statusCode"));
                default -> {
                }
            }
        }
        int status = 0;
        for (Map.Entry<String, String> request : REQUESTS.entrySet()) {
            Integer raw = RAW_STATUSES.get(request.getKey());
            if (request.getValue().contains(path) && raw != null && REPORTED.add(request.getKey())) {
                status = raw;
            }
        }
        return status;
    }

    /** Waits for an element's text; when it never comes, says what the page showed. */
    private static void awaitText(String id, String expected) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> expected.equals(text(id)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("#" + id + " is '" + text(id) + "', not '" + expected + "'; error: '" + text("error-detail")
                    + "', redeem: '" + text("redeem-result") + "', focus: " + js("return document.activeElement.id") + "; console: "
                    + browser.manage().logs().get("browser").getAll(), e);
        }
    }

    /** Keys pressed on whatever has the focus. */
    private static void keys(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    private void visible(String section) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> visible(By.id(section)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("#" + section + " never showed at " + browser.getCurrentUrl() + "; the page's console: "
                    + browser.manage().logs().get("browser").getAll() + "\n" + browser.getPageSource(), e);
        }
    }

    private static boolean visible(By by) {
        List<WebElement> found = browser.findElements(by);
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** A script's value; WebDriver waits for a returned promise. */
    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static String jsString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The current screen at a phone's size and a desktop's. */
    private static void screenshot(String name) throws RuntimeException {
        try {
            Files.createDirectories(SCREENSHOTS);
            for (Dimension size : List.of(new Dimension(390, 844), new Dimension(1280, 900))) {
                browser.manage().window().setSize(size);
                // The whole page, not only the window's part of it.
                Object png = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true))
                        .get("data");
                Files.write(SCREENSHOTS.resolve(name + "-" + (size.width < 600 ? "phone" : "desktop") + ".png"),
                        java.util.Base64.getDecoder().decode(png.toString()));
            }
            browser.manage().window().setSize(new Dimension(390, 844));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
