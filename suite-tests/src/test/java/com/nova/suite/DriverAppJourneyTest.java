package com.nova.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import com.nova.kit.testing.HeadlessChromium;
import com.nova.kit.testing.RunningSuite;

/**
 * The README's first steps with the driver app, on the packaged services as up.sh runs them (the
 * local profile, the development sign-in): deploy/local/send-webhook.sh pays at a merchant, a
 * newcomer opens /app/ in a real browser, signs in with the driver id at the development sign-in
 * and sees the points the webhook granted.
 */
@ExtendWith(RunningSuite.class)
class DriverAppJourneyTest {

    @Test
    void aNewcomerSignsInAtTheDevelopmentSignInAndSeesThePointsAWebhookGranted() throws Exception {
        String driver = "newcomer-" + UUID.randomUUID().toString().substring(0, 8);
        Path root = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("deploy/local/send-webhook.sh").toString(), "stripe",
                "--driver", driver, "--amount", "2599", "--url", RunningSuite.url("webhook-gateway")).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("STRIPE_WEBHOOK_SECRET", RunningSuite.STRIPE_SECRET);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "send-webhook.sh did not finish");
        assertEquals(0, p.exitValue(), out);

        ChromeDriver browser = HeadlessChromium.open(390, 844);
        try {
            browser.get(RunningSuite.url("wallet-service").replace("127.0.0.1", "localhost") + "/app/");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
            browser.findElement(By.id("sign-in")).click();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().startsWith(
                    RunningSuite.devSignIn().url("/authorize")));
            assertTrue(browser.getPageSource().contains("not the real identity provider"));
            WebElement subject = browser.findElement(By.id("subject"));
            subject.clear();
            subject.sendKeys(driver);
            browser.findElement(By.cssSelector("button[value=sign-in]")).click();
            // 25.99 USD at the default rate: 25 Nova, once the grant has come through the stream.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                if (!browser.findElement(By.id("wallet")).isDisplayed()) {
                    return false;
                }
                if (!"25".equals(browser.findElement(By.id("available")).getText())) {
                    browser.navigate().refresh(); // the grant may land after the first look
                    return false;
                }
                return true;
            });
            assertEquals(driver, browser.findElement(By.id("who")).getText());
            assertTrue(browser.findElement(By.cssSelector("#statement-table tbody")).getText().contains("Earned"),
                    browser.findElement(By.cssSelector("#statement-table tbody")).getText());
        } finally {
            browser.quit();
        }
    }
}
