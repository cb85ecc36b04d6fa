package com.nova.kit.testing;

import java.io.File;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for tests: the system's headless Chromium driven through its WebDriver
 * ({@code CHROMIUM_BINARY}, {@code CHROMEDRIVER_BINARY}; deploy/local/lib.sh installs both).
 */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** A new browser window of {@code width} x {@code height} CSS pixels. */
    public static ChromeDriver open(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars",
                "--window-size=" + width + "," + height, "--lang=en-US");
        // The page's console, for a test to print when it fails (browser.manage().logs().get("browser")), and the
        // DevTools network events, for the statuses of navigations a page made (logs().get("performance")).
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        logs.enable(org.openqa.selenium.logging.LogType.PERFORMANCE, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getenv().getOrDefault("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return browser;
    }
}
