package io.maas.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console in a real browser (the system's Chromium, driven through its chromedriver), against
 * tenant-service, the gateway and a simulated engine running as their own processes: an admin
 * creates a tenant, loads price books, sets a per-minute limit and provisions a local deployment for
 * the tenant (a real engine-adapter process that tenant-service starts; the fit preview updates as the
 * form changes) and watches it reach READY on its page and in the fleet; a tenant admin creates a
 * key and streams an answer with its reasoning in the playground (served by that deployment) and
 * finds it in usage with the per-minute counts; finance downloads the month's CSV, which parses to
 * the statement's total, and reads the deployment's economics. Every page visited is saved as a
 * screenshot under {@code target/screenshots}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleJourneyIT {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path DOWNLOADS = Path.of("target", "downloads").toAbsolutePath();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.console.api-url", Services::tenantService);
        registry.add("platform.console.gateway-url", Services::gateway);
        registry.add("platform.console.gateway-secret", () -> Services.CONSOLE_SECRET);
    }

    @LocalServerPort
    int port;

    WebDriver browser;
    WebDriverWait wait;
    int shots;

    @BeforeAll
    void browser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(DOWNLOADS);
        var options = new ChromeOptions();
        options.setBinary(executable("chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--window-size=1280,900", "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                "download.prompt_for_download", false, "intl.accept_languages", "en-US,en"));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(executable("chromedriver"))).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void adminTenantAndFinanceJourneys() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String tenantName = "journey-" + suffix;
        String tenantAdmin = "journey-admin-" + suffix;
        String finance = PlatformApi.user("FINANCE", null);

        // the platform admin
        signIn("admin", Services.ADMIN_PASSWORD);
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard");
        shot("dashboard");
        click("nav a[href='/tenants']");
        type("#tenant-name", tenantName);
        click("#create-tenant button[type=submit]");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-tenant='" + tenantName + "']")));
        shot("tenants");

        click("nav a[href='/price-books']");
        new Select(find("#template")).selectByValue("deepseek-2026");
        click("#load-template button[type=submit]");
        click("tr[data-book='deepseek-2026'] form button");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-book='deepseek-2026']"), "Platform default"));
        new Select(find("#template")).selectByValue("deepseek-2025");
        click("#load-template button[type=submit]");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-book='deepseek-2025']")));
        shot("price-books");
        browser.get(url("/price-books/deepseek-2026?week=2026-10-08"));
        assertThat(find("table.heatmap").getText()).contains("National Day").contains("make-up working day");
        shot("price-book-heat-map");

        browser.get(url("/tenants"));
        click("tr[data-tenant='" + tenantName + "'] a");
        new Select(find("#price-book")).selectByValue("deepseek-2025");
        click("#assign-book button[type=submit]");
        wait.until(ExpectedConditions.urlContains("saved=price-book")); // the page the form's post redirects to
        type("#new-username", tenantAdmin);
        type("#new-password", PlatformApi.PASSWORD);
        new Select(find("#new-role")).selectByValue("TENANT_ADMIN");
        click("#add-user button[type=submit]");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), tenantAdmin));
        assertThat(new Select(find("#price-book")).getFirstSelectedOption().getText()).isEqualTo("deepseek-2025");
        type("#requestsPerMinute", "100");
        click("#limits button[type=submit]");
        wait.until(ExpectedConditions.urlContains("saved=limits"));
        shot("tenant");

        // a private deployment of the tenant's model, on this machine
        String deployment = "journey-" + suffix;
        click("nav a[href='/deployments']");
        new Select(find("#deployment-model")).selectByValue("demo-moe");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#fit-verdict[data-fits='true']")));
        assertThat(find("#fit-breakdown").getText()).contains("Weights").contains("GiB");
        type("#deployment-name", deployment);
        new Select(find("#deployment-tenant")).selectByVisibleText(tenantName);
        type("#deployment-served", Services.MODEL);
        new Select(find("#deployment-runtime")).selectByValue("simulated");
        type("#deployment-cost", "0.5");
        new Select(find("#deployment-currency")).selectByVisibleText("CNY");
        wait.ignoring(StaleElementReferenceException.class).until(d -> d.findElement(By.id("fit-verdict")).getText().contains("simulated")
                && "true".equals(d.findElement(By.id("fit-verdict")).getDomAttribute("data-fits")));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", find("#fit-preview"));
        shot("deployment-preview");
        click("#create-deployment button[type=submit]");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deployment-status")));
        shot("deployment-provisioning");
        new WebDriverWait(browser, Duration.ofMinutes(3)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#deployment-status[data-state='READY']")));
        assertThat(find("#replicas").getText()).contains("Ready");
        assertThat(find("#events").getText()).contains("Ready");
        shot("deployment-ready");
        click("nav a[href='/fleet']");
        wait.ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.cssSelector("table[data-deployment='" + deployment + "']")).getText().contains("available"));
        shot("fleet");
        signOut();

        // the tenant's admin
        signIn(tenantAdmin, PlatformApi.PASSWORD);
        assertThat(browser.getCurrentUrl()).endsWith("/keys");
        type("#key-name", "journey-key");
        click("input[name=allowedModels][value='" + Services.MODEL + "']");
        click("#create-key button[type=submit]");
        String secret = find("#secret").getAttribute("value");
        assertThat(secret).startsWith("sk-");
        click("[data-copy]");
        shot("key-created");
        browser.manage().window().setSize(new Dimension(390, 844));
        shot("key-created-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));

        click("#created-key a");
        assertThat(find("#pg-secret").getAttribute("value")).as("the secret of the key created in this tab").isEqualTo(secret);
        find("#pg-model").clear();
        type("#pg-model", Services.MODEL);
        type("#pg-prompt", " Answer briefly.");
        click("#pg-send");
        wait.until(d -> d.findElement(By.id("pg-cost")).getText().contains("¥") || d.findElement(By.id("pg-error")).isDisplayed());
        assertThat(find("#pg-error").isDisplayed()).as(find("#pg-error").getText()).isFalse();
        assertThat(find("#pg-reasoning").getText()).as("reasoning streamed into its panel").isNotBlank();
        assertThat(find("#pg-answer").getText()).isNotBlank();
        assertThat(find("#pg-ttft").getText()).endsWith("ms");
        assertThat(find("#pg-tokens").getText()).matches("\\d+ / \\d+");
        assertThat(find("#pg-cost").getText()).contains("deepseek-2025");
        shot("playground");
        click("#pg-reasoning-panel summary");
        assertThat(find("#pg-reasoning").isDisplayed()).as("the reasoning panel collapses").isFalse();
        browser.manage().window().setSize(new Dimension(390, 844));
        shot("playground-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));

        click("nav a[href='/usage']");
        assertThat(find("tr[data-model='" + Services.MODEL + "']").getText()).contains("1");
        assertThat(find("li[data-limit='limit.requests-per-minute'] .used").getText()).as("the gateway's count this minute").matches("\\d+");
        shot("usage");
        signOut();

        // platform finance
        signIn(finance, PlatformApi.PASSWORD);
        assertThat(browser.getCurrentUrl()).contains("/statements");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//section[@id='revenue']//tr[td[1][text()='" + tenantName + "']]")));
        shot("statements-revenue");
        row.findElement(By.tagName("a")).click();
        WebElement total = find("#totals tr[data-currency='CNY']");
        String usage = total.getAttribute("data-usage");
        String exact = total.getAttribute("data-usage-exact");
        assertThat(usage).matches("\\d+\\.\\d{2}");
        assertThat(new java.math.BigDecimal(exact)).as("the streamed request is on the bill").isPositive();
        shot("statement");
        click("#csv");
        Path csv = awaitDownload(YearMonth.now(ZoneId.of("Asia/Shanghai"))); // the platform's billing zone, its default
        List<String[]> rows = Files.readAllLines(csv).stream().map(line -> line.split(",", -1)).filter(cells -> cells[4].equals("CNY")).toList();
        assertThat(rows.stream().filter(cells -> cells[0].equals("total-usage")).map(cells -> cells[7]).toList())
                .as("the CSV's rounded total is the statement's").containsExactly(usage);
        assertThat(rows.stream().filter(cells -> cells[0].equals("total-usage-exact")).map(cells -> cells[7]).toList())
                .as("the CSV's exact total is the statement's").containsExactly(exact);
        assertThat(rows.stream().filter(cells -> cells[0].equals("usage")).map(cells -> new java.math.BigDecimal(cells[7]))
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add)).as("the CSV's lines add up to its total")
                .isEqualByComparingTo(exact);

        click(".lang a[lang='zh-CN']");
        assertThat(find("h1").getText()).isEqualTo("账单");
        shot("statement-zh");
        click(".lang a[lang='en']");
        click("nav a[href='/economics']");
        assertThat(find("#economics-totals tr[data-deployment='" + deployment + "']").getText()).contains("demo-moe");
        shot("economics");
        signOut();

        // the admin's day, with the request on it
        signIn("admin", Services.ADMIN_PASSWORD);
        assertThat(find("#requests-today .big").getText()).isNotEqualTo("0");
        shot("dashboard-after");
    }

    private void signIn(String username, String password) throws IOException {
        browser.get(url("/login"));
        type("#username", username);
        type("#password", password);
        shot("login-" + username.replaceAll("-[0-9a-f]{8}$", ""));
        click("form button[type=submit]");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form.logout")));
    }

    private void signOut() {
        click("form.logout button");
        wait.until(ExpectedConditions.urlContains("/login?logout"));
    }

    private Path awaitDownload(YearMonth month) {
        return wait.until(d -> {
            try (var files = Files.list(DOWNLOADS)) {
                return files.filter(f -> f.getFileName().toString().endsWith(month + ".csv")).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
    }

    private WebElement find(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    private void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    private void type(String css, String text) {
        find(css).sendKeys(text);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private void shot(String name) throws IOException {
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, name)), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The system's program {@code name} (Debian's chromium and chromium-driver); never a download. */
    private static String executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: apt-get install -y chromium chromium-driver");
    }
}
