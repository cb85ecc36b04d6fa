package com.nova.auction.rest;

import static com.nova.auction.AuctionFixtures.exec;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.kit.session.SessionCookies;
import com.nova.kit.testing.HeadlessChromium;
import com.nova.kit.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The audit viewer in a real browser (headless Chromium through WebDriver): an admin's session
 * cookie opens it, filters and paging work, and hostile text in any column is shown as text and
 * never runs.
 */
@QuarkusTest
@AuctionServiceTest
class AuditPageTest extends AuctionTestBase {

    static final String XSS = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

    @TestHTTPResource("/admin/audit")
    URL page;

    static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() {
        browser = HeadlessChromium.open(1280, 900);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void signInAs(String subject, String... roles) {
        browser.manage().deleteAllCookies();
        browser.get(page.toString()); // the cookie needs the origin opened first
        String token = TestTokens.bearer(subject, roles).substring("Bearer ".length());
        browser.manage().addCookie(new Cookie.Builder(SessionCookies.SESSION, token).path("/").isHttpOnly(true).build());
    }

    /** click() returns before the browser has loaded the next page: wait until it has. */
    private void awaitPage(String urlPart) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains(urlPart)
                && "complete".equals(((JavascriptExecutor) browser).executeScript("return document.readyState")));
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#audit tbody tr"));
    }

    private String open(String query) {
        browser.get(page + (query.isEmpty() ? "" : "?" + query));
        return browser.getPageSource();
    }

    @Test
    void withoutAnAdminSessionThePageIsRefused() {
        browser.manage().deleteAllCookies();
        browser.get(page.toString());
        assertFalse(browser.getPageSource().contains("<table"), "no table without a session");
        assertTrue(browser.getPageSource().contains("401") || browser.getPageSource().contains("unauthorized"));
        signInAs("pub-1", "publisher");
        open("");
        assertTrue(browser.findElements(By.id("audit")).isEmpty());
        assertTrue(browser.getPageSource().contains("forbidden"));
    }

    @Test
    void anAdminFiltersAndPagesThroughLeadChanges() {
        String publisher = "pub-audit-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            submit(publisher, lead()).then().statusCode(201);
        }
        signInAs("admin-1", "admin");
        open("actor=" + publisher + "&limit=2");
        assertEquals(2, rows().size());
        for (WebElement row : rows()) {
            assertEquals(publisher, row.findElement(By.cssSelector("td.actor")).getText());
            assertTrue(row.findElement(By.cssSelector("td.action")).getText().startsWith("lead."));
        }
        // The form shows the filter it applied.
        assertEquals(publisher, browser.findElement(By.name("actor")).getAttribute("value"));
        // Follow "Older entries" to the end: five entries, each once.
        java.util.Set<String> seen = new java.util.HashSet<>();
        int pages = 0;
        while (true) {
            pages++;
            rows().forEach(r -> assertTrue(seen.add(r.getAttribute("data-id")), "an entry shown twice"));
            List<WebElement> next = browser.findElements(By.id("next"));
            if (next.isEmpty()) {
                break;
            }
            String href = next.get(0).getAttribute("href");
            next.get(0).click();
            awaitPage(href);
        }
        assertEquals(5, seen.size());
        assertEquals(3, pages);

        // Filling the form in the browser: an action filter that matches nothing.
        open("");
        browser.findElement(By.name("actor")).sendKeys(publisher);
        browser.findElement(By.name("action")).sendKeys("lead.returned");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        // click() returns before the browser has loaded the filtered page: wait for it.
        awaitPage("action=lead.returned");
        assertFalse(browser.findElements(By.id("empty")).isEmpty());
        // A time range after every entry also matches nothing; one before them all matches them.
        open("actor=" + publisher + "&from=2099-01-01T00:00:00Z");
        assertFalse(browser.findElements(By.id("empty")).isEmpty());
        open("actor=" + publisher + "&to=2099-01-01T00:00:00Z&limit=50");
        assertEquals(5, rows().size());
    }

    @Test
    void hostileTextIsShownAsTextAndNeverRuns() {
        // An actor name, a target and details written by someone hostile (straight into the table).
        String actor = "pub-" + UUID.randomUUID() + XSS;
        exec("insert into audit_log (actor, action, target, details) values (?, 'lead.received', ?, ?::jsonb)",
                actor, "lead:\"><svg onload=window.pwned=3>", "{\"note\": \"</code></td><script>window.pwned=4</script>\"}");
        signInAs("admin-1", "admin");
        open("actor=" + java.net.URLEncoder.encode(actor, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(1, rows().size());
        WebElement row = rows().get(0);
        assertEquals(actor, row.findElement(By.cssSelector("td.actor")).getText());
        assertEquals("lead:\"><svg onload=window.pwned=3>", row.findElement(By.cssSelector("td.target")).getText());
        assertTrue(row.findElement(By.cssSelector("td.details")).getText().contains("<script>window.pwned=4</script>"));
        assertEquals(0L, ((Number) ((JavascriptExecutor) browser).executeScript("return window.pwned || 0")).longValue());
        assertTrue(browser.findElements(By.cssSelector("#audit img, #audit script, #audit svg")).isEmpty());
        // The filter echoed into the form stays an attribute value.
        assertEquals(actor, browser.findElement(By.name("actor")).getAttribute("value"));
        assertEquals(0L, ((Number) ((JavascriptExecutor) browser).executeScript("return window.pwned || 0")).longValue());
    }

    @Test
    void aBadFilterIsAClearErrorNotAPage() {
        signInAs("admin-1", "admin");
        String source = open("from=yesterday");
        assertTrue(source.contains("validation-failed") || source.contains("invalid"), source);
        assertTrue(browser.findElements(By.id("audit")).isEmpty());
    }
}
