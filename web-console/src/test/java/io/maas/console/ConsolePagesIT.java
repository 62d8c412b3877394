package io.maas.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.maas.console.system.Page;
import io.maas.api.tenant.Role;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Every page for every role, through the console's MVC stack against a real tenant-service: who
 * sees what (404 otherwise, and no link), another tenant's data as 404, the API's errors beside
 * the field, both languages and their number formats.
 */
@SpringBootTest
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePagesIT {

    static final YearMonth MONTH = YearMonth.now(ZoneOffset.UTC);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.console.api-url", Services::tenantService);
    }

    @Autowired
    MockMvc mvc;

    UUID tenant;
    UUID otherTenant;
    UUID otherKey;
    final Map<Role, String> people = new EnumMap<>(Role.class);

    @BeforeAll
    void platform() {
        tenant = PlatformApi.tenant("pages");
        otherTenant = PlatformApi.tenant("pages-other");
        PlatformApi.priceBook("deepseek-2026", tenant);
        people.put(Role.FINANCE, PlatformApi.user("FINANCE", null));
        people.put(Role.TENANT_ADMIN, PlatformApi.user("TENANT_ADMIN", tenant));
        people.put(Role.TENANT_FINANCE, PlatformApi.user("TENANT_FINANCE", tenant));
        people.put(Role.DEVELOPER, PlatformApi.user("DEVELOPER", tenant));
        otherKey = UUID.fromString(PlatformApi.send("POST", "/api/v1/tenants/" + otherTenant + "/api-keys", "{\"name\":\"theirs\"}")
                .get("key").get("id").asString());
        PlatformApi.usage(tenant, MONTH.atDay(1), "deepseek-flash", "peak", 1000, 3000, 500, "10.04");
        PlatformApi.usage(tenant, MONTH.atDay(1), "deepseek-flash", "off-peak", 0, 2000, 250, "3.005");
        PlatformApi.usage(otherTenant, MONTH.atDay(1), "deepseek-flash", "peak", 0, 10, 10, "0.1");
    }

    @Test
    void eachRoleSeesItsPagesAndNoOthers() throws Exception {
        for (Role role : Role.values()) {
            MockHttpSession session = login(role);
            String home = mvc.perform(get("/").session(session)).andReturn().getResponse().getRedirectedUrl();
            assertThat(home).as(role + "'s first page").isEqualTo(Page.of(role).getFirst().path());
            for (Page page : Page.values()) {
                MockHttpServletResponse response = page(session, page.path());
                assertThat(response.getStatus()).as(role + " on " + page.path())
                        .isEqualTo(page.visibleTo(role) ? 200 : 404);
                if (page.visibleTo(role)) {
                    String html = response.getContentAsString();
                    for (Page other : Page.values()) {
                        assertThat(html.contains("href=\"" + other.path() + "\"")).as(role + ": link to " + other.path() + " on " + page.path())
                                .isEqualTo(other.visibleTo(role));
                    }
                    assertThat(html).doesNotContain("Exception").contains("lang=zh-CN").contains("lang=en");
                }
            }
        }
    }

    @Test
    void anotherTenantsDataIsNotFound() throws Exception {
        MockHttpSession tenantAdmin = login(Role.TENANT_ADMIN);
        assertThat(page(tenantAdmin, "/statements?tenant=" + otherTenant).getStatus()).isEqualTo(404);
        assertThat(page(tenantAdmin, "/statements/" + otherTenant + "/" + MONTH + ".csv").getStatus()).isEqualTo(404);
        assertThat(mvc.perform(post("/keys/" + otherKey + "/revoke").session(tenantAdmin).with(csrf())).andReturn().getResponse().getStatus())
                .isEqualTo(404);
        assertThat(page(login(Role.PLATFORM_ADMIN), "/tenants/" + UUID.randomUUID()).getStatus()).isEqualTo(404);
    }

    @Test
    void staticFilesAreServedWithoutSignIn() throws Exception {
        for (String path : new String[] {"/webjars/htmx.org/dist/htmx.min.js", "/webjars/chart.js/dist/chart.umd.js", "/css/console.css",
                "/js/console.js"}) {
            assertThat(mvc.perform(get(path)).andReturn().getResponse().getStatus()).as(path).isEqualTo(200);
        }
    }

    @Test
    void signInChecksThePasswordWithTenantService() throws Exception {
        var wrong = mvc.perform(formLogin("/login").user(people.get(Role.DEVELOPER)).password("not-the-password")).andReturn().getResponse();
        assertThat(wrong.getRedirectedUrl()).isEqualTo("/login?error");
        assertThat(page(new MockHttpSession(), "/keys").getRedirectedUrl()).endsWith("/login");
        assertThat(mvc.perform(post("/logout").session(login(Role.DEVELOPER))).andReturn().getResponse().getStatus())
                .as("logout without the CSRF token").isEqualTo(403);
    }

    @Test
    void formsShowTheApisErrorBesideTheField() throws Exception {
        MockHttpSession admin = login(Role.PLATFORM_ADMIN);
        var response = mvc.perform(post("/tenants").session(admin).with(csrf()).param("name", "Not Valid!").param("billingMode", "POSTPAID"))
                .andReturn().getResponse();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString()).containsPattern("id=\"tenant-name-error\"[^>]*>must be 1-63 lower-case letters");

        var limits = mvc.perform(post("/tenants/" + tenant + "/limits").session(admin).with(csrf()).param("dailyTokens", "-5"))
                .andReturn().getResponse();
        assertThat(limits.getStatus()).isEqualTo(400);
        assertThat(limits.getContentAsString()).containsPattern("(?s)id=\"dailyTokens\".*?class=\"field-error\"[^>]*>must be greater than or equal to 0");
    }

    @Test
    void tenantsAndKeysAreManagedThroughTheApi() throws Exception {
        MockHttpSession admin = login(Role.PLATFORM_ADMIN);
        String name = "made-" + UUID.randomUUID().toString().substring(0, 8);
        var created = mvc.perform(post("/tenants").session(admin).with(csrf()).param("name", name).param("billingMode", "PREPAID"))
                .andReturn().getResponse();
        assertThat(created.getRedirectedUrl()).isEqualTo("/tenants?created=" + name);
        assertThat(page(admin, "/tenants").getContentAsString()).contains("data-tenant=\"" + name + "\"");

        MockHttpSession developer = login(Role.DEVELOPER);
        var key = mvc.perform(post("/keys").session(developer).with(csrf()).param("name", "ci").param("allowedModels", "deepseek-flash"))
                .andReturn().getResponse();
        assertThat(key.getStatus()).isEqualTo(201);
        assertThat(key.getContentAsString()).containsPattern("id=\"secret\"[^>]*value=\"sk-[A-Za-z0-9_-]{20,}\"");
        assertThat(page(developer, "/keys").getContentAsString()).contains("data-key=\"ci\"").doesNotContain("id=\"secret\"");
    }

    @Test
    void heatMapShowsTiersHolidaysAndMakeUpDays() throws Exception {
        MockHttpSession admin = login(Role.PLATFORM_ADMIN);
        String book = PlatformApi.priceBook("deepseek-2026", tenant);
        String html = page(admin, "/price-books/" + book + "?week=2026-10-08").getContentAsString();
        assertThat(html).contains("Asia/Shanghai").contains("National Day").contains("make-up working day");
        String week = page(admin, "/price-books/" + book + "?week=2026-11-16").getContentAsString();
        // Monday 16 November 2026, Beijing: off-peak until 09:00, peak 09:00-12:00, off-peak 12:00-14:00
        assertThat(week).containsPattern("(?s)Mon 11-16.*?(<td[^>]*class=\"tier1\"[^>]*>o</td>\\s*){9}(<td[^>]*class=\"tier0\"[^>]*>p</td>\\s*){3}"
                + "(<td[^>]*class=\"tier1\"[^>]*>o</td>\\s*){2}");
    }

    @Test
    void usageStatementsAndCsvForTheTenant() throws Exception {
        MockHttpSession finance = login(Role.TENANT_FINANCE);
        String usage = page(finance, "/usage?month=" + MONTH + "&lang=en").getContentAsString();
        assertThat(usage).contains("data-model=\"deepseek-flash\"").contains("16.7%"); // 1000 of 6000 prompt tokens from cache
        String statement = page(finance, "/statements?month=" + MONTH).getContentAsString();
        assertThat(statement).contains("data-usage=\"13.04\"").contains("CN¥13.04");
        String csv = page(finance, "/statements/" + tenant + "/" + MONTH + ".csv").getContentAsString();
        assertThat(csv).contains("total-usage,,,,CNY,,,13.04");

        MockHttpSession platformFinance = login(Role.FINANCE);
        assertThat(page(platformFinance, "/statements?month=" + MONTH).getContentAsString()).contains("id=\"revenue\"").contains(tenant.toString());
    }

    @Test
    void chineseByAcceptLanguageOrTheSwitch() throws Exception {
        var login = mvc.perform(get("/login").header("Accept-Language", "zh-CN,zh;q=0.9")).andReturn().getResponse();
        assertThat(login.getContentAsString()).contains("登录").contains("lang=\"zh-CN\"");
        assertThat(mvc.perform(get("/login").param("lang", "en")).andReturn().getResponse().getContentAsString()).contains("Sign in");

        MockHttpSession finance = login(Role.TENANT_FINANCE);
        String statement = page(finance, "/statements?month=" + MONTH + "&lang=zh-CN").getContentAsString();
        assertThat(statement).contains("账单").contains("¥13.04").doesNotContain("CN¥");
    }

    @Test
    void theUsagePageCountsTodayAndThisMonthInTheTenantsBillingZone() throws Exception {
        // a zone whose day now is not UTC's: a day behind before noon UTC, a day ahead after
        ZoneId zone = ZonedDateTime.now(ZoneOffset.UTC).getHour() < 12 ? ZoneId.of("Etc/GMT+12") : ZoneId.of("Pacific/Kiritimati");
        UUID zoned = PlatformApi.tenant("pages-zone");
        PlatformApi.send("PUT", "/api/v1/tenants/" + zoned + "/billing-zone", "{\"zone\":\"" + zone.getId() + "\"}");
        PlatformApi.send("PUT", "/api/v1/tenants/" + zoned + "/limits", "{\"dailyTokens\":1000000}");
        PlatformApi.usage(zoned, LocalDate.now(zone), "deepseek-flash", "peak", 0, 700, 77, "0.5");

        String html = page(login(PlatformApi.user("TENANT_ADMIN", zoned), PlatformApi.PASSWORD), "/usage?lang=en").getContentAsString();

        assertThat(html).containsPattern("(?s)data-limit=\"limit.daily-tokens\".*?class=\"used\">777<")
                .contains("data-model=\"deepseek-flash\"").contains("Days are billing days in " + zone.getId());
    }

    @Test
    void dashboardShowsTheDay() throws Exception {
        PlatformApi.usage(otherTenant, LocalDate.now(ZoneOffset.UTC), "deepseek-flash", "peak", 0, 100, 100, "0.8");
        String html = page(login(Role.PLATFORM_ADMIN), "/dashboard?lang=en").getContentAsString();
        assertThat(html).contains("id=\"top-tenants\"").contains("id=\"deployments-by-state\"").contains("id=\"engines-by-vendor\"");
    }

    @Test
    void aDeploymentIsPreviewedLiveCreatedWatchedScaledAndDeleted() throws Exception {
        MockHttpSession admin = login(Role.PLATFORM_ADMIN);
        String fits = htmx(post("/deployments/plan").session(admin).with(csrf()).param("model", "demo-moe").param("runtime", "simulated")
                .param("tenantId", tenant.toString()).param("servedModelName", "deepseek-flash")).getContentAsString();
        assertThat(fits).doesNotContain("<html").contains("data-fits=\"true\"").contains("id=\"fit-breakdown\"")
                .contains("chosen by fit over target local").contains("name demo-moe suggested");
        String refused = htmx(post("/deployments/plan").session(admin).with(csrf()).param("model", "deepseek-r1").param("runtime", "simulated")
                .param("precision", "bf16").param("vendor", "nvidia").param("acceleratorType", "h100").param("countPerReplica", "8"))
                .getContentAsString();
        assertThat(refused).contains("data-fits=\"false\"").contains("Does not fit").containsPattern("(?s)Fewest devices.*?>32<");

        var badName = mvc.perform(post("/deployments").session(admin).with(csrf()).param("name", "Not A Label").param("model", "demo-moe"))
                .andReturn().getResponse();
        assertThat(badName.getStatus()).isEqualTo(400);
        assertThat(badName.getContentAsString()).containsPattern("(?s)id=\"deployment-name\".*?class=\"field-error\"[^>]*>name must be a DNS label");

        String name = "pages-" + UUID.randomUUID().toString().substring(0, 8);
        var created = mvc.perform(post("/deployments").session(admin).with(csrf()).param("name", name).param("model", "demo-moe")
                .param("tenantId", tenant.toString()).param("servedModelName", "deepseek-flash").param("runtime", "simulated")
                .param("replicas", "0").param("costAmount", "2").param("costCurrency", "CNY")).andReturn().getResponse();
        assertThat(created.getRedirectedUrl()).startsWith("/deployments/");
        String path = created.getRedirectedUrl();
        UUID id = UUID.fromString(path.substring("/deployments/".length()));
        PlatformApi.deploymentDay(id, LocalDate.now(ZoneOffset.UTC), "peak", "6.5");

        String detail = page(admin, path + "?lang=en").getContentAsString();
        assertThat(detail).contains(name).contains("data-reason=\"Created\"").contains("id=\"deployment-economics\"")
                .contains("id=\"economics-revenue\">CN¥6.50");
        assertThat(htmx(get(path + "/status").session(admin)).getContentAsString()).doesNotContain("<html").contains("id=\"deployment-status\"");
        assertThat(page(admin, "/deployments").getContentAsString()).contains("data-deployment=\"" + name + "\"");
        assertThat(page(login(Role.FINANCE), "/economics?month=" + MONTH + "&lang=en").getContentAsString())
                .containsPattern("(?s)<tr data-deployment=\"" + name + "\">.*?CN¥6.50");

        String scaledBadly = htmx(post(path + "/scale").session(admin).with(csrf()).param("replicas", "many")).getContentAsString();
        assertThat(scaledBadly).contains("id=\"deployment-status\"").contains("replicas must be a whole number");
        assertThat(htmx(post(path + "/scale").session(admin).with(csrf()).param("replicas", "1000")).getContentAsString())
                .contains("replicas must be 0 to");
        assertThat(mvc.perform(post(path + "/delete").session(admin).with(csrf())).andReturn().getResponse().getRedirectedUrl()).isEqualTo(path);
        assertThat(PlatformApi.send("GET", "/api/v1/deployments/" + id, null).get("state").asString()).isIn("DELETING", "DELETED");
        assertThat(page(admin, "/deployments/" + UUID.randomUUID()).getStatus()).isEqualTo(404);
    }

    @Test
    void suspendAndRevokeAnswerWithTheRowAloneForHtmx() throws Exception {
        UUID suspended = PlatformApi.tenant("pages-suspend");
        String row = htmx(post("/tenants/" + suspended + "/suspend").session(login(Role.PLATFORM_ADMIN)).with(csrf()))
                .getContentAsString().strip();
        assertThat(row).startsWith("<tr").doesNotContain("<html").contains("Suspended").contains("/tenants/" + suspended + "/activate");

        UUID key = UUID.fromString(PlatformApi.send("POST", "/api/v1/tenants/" + tenant + "/api-keys", "{\"name\":\"to-revoke\"}")
                .get("key").get("id").asString());
        String keyRow = htmx(post("/keys/" + key + "/revoke").session(login(Role.TENANT_ADMIN)).with(csrf())).getContentAsString().strip();
        assertThat(keyRow).startsWith("<tr").contains("data-key=\"to-revoke\"").contains("Revoked").doesNotContain("/revoke");
    }

    @Test
    void theFleetSaysWhenTheGatewaysViewCannotBeRead() throws Exception {
        String fleet = page(login(Role.PLATFORM_ADMIN), "/fleet?lang=en").getContentAsString();
        assertThat(fleet).contains("id=\"gateway-unseen\"").contains("PLATFORM_CONSOLE_GATEWAY_SECRET");
        assertThat(htmx(get("/fleet/view").session(login(Role.PLATFORM_ADMIN))).getContentAsString()).doesNotContain("<html").contains("id=\"fleet\"");
    }

    private MockHttpServletResponse htmx(MockHttpServletRequestBuilder request) throws Exception {
        MockHttpServletResponse response = mvc.perform(request.header("HX-Request", "true")).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return response;
    }

    private MockHttpServletResponse page(MockHttpSession session, String path) throws Exception {
        MockHttpServletRequestBuilder request = get(path).session(session);
        return mvc.perform(request).andReturn().getResponse();
    }

    private MockHttpSession login(Role role) throws Exception {
        return role == Role.PLATFORM_ADMIN ? login("admin", Services.ADMIN_PASSWORD) : login(people.get(role), PlatformApi.PASSWORD);
    }

    private MockHttpSession login(String username, String password) throws Exception {
        var result = mvc.perform(formLogin("/login").user(username).password(password)).andReturn();
        assertThat(result.getResponse().getRedirectedUrl()).as(username + " signs in").isEqualTo("/");
        return (MockHttpSession) result.getRequest().getSession(false);
    }
}
