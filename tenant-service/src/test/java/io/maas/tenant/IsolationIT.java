package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A person of tenant A asking for anything of tenant B gets 404, never 403 — for every endpoint
 * that names a tenant or one of its resources, and every tenant role. A guard test fails when an
 * endpoint is added without being listed here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationIT extends ServiceTest {

    /** Every endpoint that reaches a tenant's resources: method, path, body; {B}, {KEY}, {USER}, {BOOK} are tenant B's. */
    static final List<String[]> ENDPOINTS = List.of(
            new String[] {"GET", "/api/v1/tenants/{B}", null},
            new String[] {"POST", "/api/v1/tenants/{B}/suspend", null},
            new String[] {"POST", "/api/v1/tenants/{B}/activate", null},
            new String[] {"POST", "/api/v1/tenants/{B}/deactivate", null},
            new String[] {"PUT", "/api/v1/tenants/{B}/billing", "{\"billingMode\":\"PREPAID\"}"},
            new String[] {"GET", "/api/v1/tenants/{B}/billing-zone", null},
            new String[] {"PUT", "/api/v1/tenants/{B}/billing-zone", "{\"zone\":\"UTC\"}"},
            new String[] {"GET", "/api/v1/tenants/{B}/users", null},
            new String[] {"POST", "/api/v1/tenants/{B}/users/{USER}/disable", null},
            new String[] {"PUT", "/api/v1/tenants/{B}/users/{USER}/password", "{\"newPassword\":\"an-intruders-password\"}"},
            new String[] {"POST", "/api/v1/users", "{\"username\":\"intruder-{RANDOM}\",\"password\":\"a-long-test-password\",\"role\":\"DEVELOPER\",\"tenantId\":\"{B}\"}"},
            new String[] {"GET", "/api/v1/tenants/{B}/api-keys", null},
            new String[] {"POST", "/api/v1/tenants/{B}/api-keys", "{\"name\":\"intruder\"}"},
            new String[] {"GET", "/api/v1/tenants/{B}/api-keys/{KEY}", null},
            new String[] {"POST", "/api/v1/tenants/{B}/api-keys/{KEY}/revoke", null},
            new String[] {"GET", "/api/v1/tenants/{B}/price-book", null},
            new String[] {"PUT", "/api/v1/tenants/{B}/price-book", "{\"priceBook\":null}"},
            new String[] {"GET", "/api/v1/price-books/{BOOK}", null},
            new String[] {"POST", "/api/v1/pricing/quote", "{\"priceBook\":\"{BOOK}\",\"model\":\"deepseek-flash\",\"at\":\"2026-03-03T02:00:00Z\",\"promptCacheHitTokens\":1,\"promptCacheMissTokens\":1,\"completionTokens\":1}"},
            new String[] {"POST", "/api/v1/tenants/{B}/grants", "{\"amount\":\"5\"}"},
            new String[] {"POST", "/api/v1/tenants/{B}/top-ups", "{\"amount\":\"5\"}"},
            new String[] {"GET", "/api/v1/tenants/{B}/credits", null},
            new String[] {"GET", "/api/v1/tenants/{B}/usage/daily", null},
            new String[] {"GET", "/api/v1/tenants/{B}/balance", null},
            new String[] {"GET", "/api/v1/tenants/{B}/statements/2026-11", null},
            new String[] {"GET", "/api/v1/tenants/{B}/statements/2026-11.csv", null},
            new String[] {"GET", "/api/v1/tenants/{B}/limits", null},
            new String[] {"PUT", "/api/v1/tenants/{B}/limits", "{\"requestsPerMinute\":1}"},
            new String[] {"GET", "/api/v1/keys/{KEY}/limits", null},
            new String[] {"PUT", "/api/v1/keys/{KEY}/limits", "{\"requestsPerMinute\":1}"},
            new String[] {"POST", "/api/v1/deployments", "{\"name\":\"intruder-{RANDOM}\",\"tenantId\":\"{B}\",\"model\":\"demo-moe\",\"replicas\":0}"},
            new String[] {"POST", "/api/v1/deployments/plan", "{\"name\":\"intruder-{RANDOM}\",\"tenantId\":\"{B}\",\"model\":\"demo-moe\"}"},
            new String[] {"GET", "/api/v1/deployments/{DEPLOYMENT}", null},
            new String[] {"GET", "/api/v1/deployments/{DEPLOYMENT}/events", null},
            new String[] {"PATCH", "/api/v1/deployments/{DEPLOYMENT}", "{\"replicas\":1}"},
            new String[] {"DELETE", "/api/v1/deployments/{DEPLOYMENT}", null});

    static final List<String> TENANT_ROLES = List.of("TENANT_ADMIN", "TENANT_FINANCE", "DEVELOPER");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    UUID tenantA;
    UUID tenantB;
    String keyOfB;
    String userOfB;
    String bookOfB;
    String deploymentOfB;
    final java.util.Map<String, String> peopleOfA = new java.util.HashMap<>();

    @BeforeAll
    void twoTenants() {
        tenantA = tenant("iso-a");
        tenantB = tenant("iso-b");
        for (String role : TENANT_ROLES) {
            peopleOfA.put(role, user(role, tenantA));
        }
        String adminOfB = user("TENANT_ADMIN", tenantB);
        userOfB = admin().get("/api/v1/tenants/" + tenantB + "/users").json().get(0).get("id").asString();
        bookOfB = "iso-book-" + UUID.randomUUID().toString().substring(0, 8);
        admin().post("/api/v1/price-books", "{\"template\":\"deepseek-2026\",\"name\":\"" + bookOfB + "\"}");
        admin().put("/api/v1/tenants/" + tenantB + "/price-book", "{\"priceBook\":\"" + bookOfB + "\"}");
        deploymentOfB = admin().post("/api/v1/deployments", "{\"name\":\"iso-b-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"tenantId\":\"" + tenantB + "\",\"model\":\"demo-moe\",\"runtime\":\"simulated\",\"replicas\":0}")
                .json().get("id").asString();
        // B's key last: its book does not price demo-moe, so a key (a caller) before would make the deployment unpriced for it.
        keyOfB = as(adminOfB).post("/api/v1/tenants/" + tenantB + "/api-keys", "{\"name\":\"b\"}").json().get("key").get("id").asString();
    }

    static Stream<Arguments> rolesAndEndpoints() {
        return TENANT_ROLES.stream().flatMap(role -> ENDPOINTS.stream().map(e -> Arguments.of(role, e[0], e[1], e[2])));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("rolesAndEndpoints")
    void anotherTenantsResourcesAre404(String role, String method, String path, String body) {
        var response = as(peopleOfA.get(role)).send(method, fill(path), body == null ? null : fill(body));

        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).as("tenant B's name must not leak").doesNotContain("iso-b-");
    }

    @Test
    void tenantBIsUntouched() {
        var b = admin().get("/api/v1/tenants/" + tenantB).json();
        assertThat(b.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(admin().get("/api/v1/tenants/" + tenantB + "/api-keys/" + keyOfB).json().get("status").asString()).isEqualTo("ACTIVE");
        assertThat(admin().get("/api/v1/tenants/" + tenantB + "/credits").json().size()).isZero();
        assertThat(admin().get("/api/v1/tenants/" + tenantB + "/limits").json().path("requestsPerMinute").isNumber()).isFalse();
        assertThat(admin().get("/api/v1/keys/" + keyOfB + "/limits").json().path("requestsPerMinute").isNumber()).isFalse();
        var deployment = admin().get("/api/v1/deployments/" + deploymentOfB).json();
        assertThat(deployment.get("state").asString()).isNotIn("DELETING", "DELETED");
        assertThat(deployment.get("replicas").get("desired").asInt()).isZero();
        for (String role : List.of("TENANT_ADMIN", "TENANT_FINANCE")) {
            assertThat(as(peopleOfA.get(role)).get("/api/v1/deployments").body()).doesNotContain(deploymentOfB);
        }
    }

    @Test
    void aDeveloperDoesNotSeeAnotherDevelopersKeyOfTheSameTenant() {
        String other = user("DEVELOPER", tenantA);
        String key = as(other).post("/api/v1/tenants/" + tenantA + "/api-keys", "{\"name\":\"mine\"}").json().get("key").get("id").asString();

        var response = as(peopleOfA.get("DEVELOPER")).get("/api/v1/tenants/" + tenantA + "/api-keys/" + key);
        var list = as(peopleOfA.get("DEVELOPER")).get("/api/v1/tenants/" + tenantA + "/api-keys");

        assertThat(response.status()).isEqualTo(404);
        assertThat(list.body()).doesNotContain(key);
        assertThat(as(peopleOfA.get("TENANT_ADMIN")).get("/api/v1/tenants/" + tenantA + "/api-keys").body()).contains(key);
    }

    @Test
    void everyEndpointThatNamesATenantIsListedHere() {
        Set<String> listed = new TreeSet<>();
        ENDPOINTS.forEach(e -> listed.add(e[0] + " " + e[1].replace("{B}", "{tenantId}").replace("{KEY}", "{keyId}")
                .replace("{USER}", "{userId}").replace("{BOOK}", "{name}").replace("2026-11", "{month}")));
        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream()
                .filter(p -> p.contains("{tenantId}"))
                .forEach(p -> info.getMethodsCondition().getMethods().forEach(m -> mapped.add(m.name() + " " + p))));

        assertThat(listed).containsAll(mapped);
    }

    private String fill(String template) {
        return template.replace("{B}", tenantB.toString()).replace("{KEY}", keyOfB).replace("{USER}", userOfB)
                .replace("{BOOK}", bookOfB).replace("{DEPLOYMENT}", deploymentOfB).replace("{RANDOM}", UUID.randomUUID().toString().substring(0, 8));
    }
}
