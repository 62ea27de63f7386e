package dev.modelgate.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver by Selenium, pointed at a gateway's
 * console. Nothing is downloaded: the driver's path is given, so Selenium Manager stays out of it, and
 * the browser is kept off the network (no sync, updates or background requests) with a fresh profile.
 * Outside CI a machine without Chromium skips the browser tests with a message; in CI ({@code CI=true})
 * they run or fail.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Screenshots of each page, for people reviewing a run (CI keeps target/). */
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final int WIDTH = 1360;

    final WebDriver driver;
    private final URI base;
    private final Path profile;
    private final ChromeDriverService service;

    private ConsoleBrowser(WebDriver driver, ChromeDriverService service, URI base, Path profile) {
        this.driver = driver;
        this.service = service;
        this.base = base;
        this.profile = profile;
    }

    /** Skips the calling test when Chromium or its driver is missing, unless in CI, where that is a failure. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: scripts/tools.sh installs the Debian packages chromium and chromium-driver");
        }
        Assumptions.assumeTrue(installed, "the console's browser tests need Debian's chromium and chromium-driver "
                + "(apt-get install -y chromium chromium-driver, or scripts/tools.sh): skipped");
    }

    static ConsoleBrowser open(URI gateway) throws IOException {
        Path profile = Files.createTempDirectory("modelgate-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + WIDTH + ",1000");
        Files.createDirectories(SCREENSHOTS);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(SCREENSHOTS.resolve("chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return new ConsoleBrowser(driver, service, gateway, profile);
    }

    void open(String hash) {
        driver.get(base.resolve("/ui/" + hash).toString());
    }

    /** Goes to a page of the already loaded console (a hash change, as a click on a link would). */
    void go(String hash) {
        // the same hash again fires no hashchange: the console is then asked to render it again
        script("document.body.removeAttribute('data-ready');"
                + " if (location.hash === arguments[0]) { dispatchEvent(new HashChangeEvent('hashchange')); }"
                + " else { location.hash = arguments[0]; }", hash);
    }

    /** Forgets the credential of the tab, as the console's "Log out" does, and opens the console afresh. */
    void logOut() {
        open("");
        script("sessionStorage.clear()");
        open("");
    }

    /** Waits until the console says the page for {@code hash} is complete; returns how long it took to render, in ms. */
    long awaitReady(String hash) {
        // polled often: the page-time test reads the wall time of this wait too
        new WebDriverWait(driver, Duration.ofSeconds(20)).pollingEvery(Duration.ofMillis(20))
                .until(d -> hash.equals(find("body").getAttribute("data-ready")));
        String renderMs = find("body").getAttribute("data-render-ms");
        return renderMs == null ? 0 : Long.parseLong(renderMs);
    }

    /** Reloads the current page and waits for it. */
    void reload(String hash) {
        driver.navigate().refresh();
        awaitReady(hash);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement await(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    Object script(String js, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(js, arguments);
    }

    /** A screenshot of the whole page (the window is stretched to the page's height first). */
    Path screenshot(String name) throws IOException {
        long height = ((Number) script("return Math.max(document.documentElement.scrollHeight, 700)")).longValue();
        driver.manage().window().setSize(new Dimension(WIDTH, (int) Math.min(height + 40, 6000)));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(new Dimension(WIDTH, 1000));
        return target;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
