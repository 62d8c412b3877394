package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.db.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * People's accounts over real HTTP: disabling ends a person's session at once (their API keys are
 * KeyRevocationIT's), platform people can be disabled, passwords change with the old one or by an
 * administrator, and the change is audited but never written anywhere in clear.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class AccountsIT extends ServiceTest {

    private UUID tenant;
    private String tenantAdmin;

    @BeforeAll
    void aTenant() {
        tenant = tenant("accounts");
        tenantAdmin = user("TENANT_ADMIN", tenant);
    }

    @Test
    void aDisabledPersonsSessionEndsAtOnce() {
        String developer = user("DEVELOPER", tenant);
        BrowserSession browser = new BrowserSession("http://127.0.0.1:" + port);
        assertThat(BrowserSession.accepted(browser.logIn(developer, PASSWORD))).isTrue();
        assertThat(browser.get("/api/v1/users/me").statusCode()).isEqualTo(200);

        assertThat(as(tenantAdmin).post("/api/v1/tenants/" + tenant + "/users/" + id(developer) + "/disable", null).status())
                .isEqualTo(200);

        assertThat(browser.get("/api/v1/users/me").statusCode()).isEqualTo(401);
        assertThat(as(developer).get("/api/v1/users/me").status()).isEqualTo(401);
        assertThat(BrowserSession.accepted(new BrowserSession("http://127.0.0.1:" + port).logIn(developer, PASSWORD))).isFalse();
    }

    @Test
    void platformPeopleCanBeDisabledByAPlatformAdminOnly() {
        String finance = user("FINANCE", null);
        String otherAdmin = user("PLATFORM_ADMIN", null);
        assertThat(as(finance).get("/api/v1/users/me").status()).isEqualTo(200);

        assertThat(as(finance).post("/api/v1/users/" + id(otherAdmin) + "/disable", null).status()).isEqualTo(403);
        assertThat(as(tenantAdmin).post("/api/v1/users/" + id(finance) + "/disable", null).status()).isEqualTo(403);
        assertThat(as(otherAdmin).post("/api/v1/users/" + id(otherAdmin) + "/disable", null).status()).isEqualTo(409);
        assertThat(admin().post("/api/v1/users/" + id(tenantAdmin) + "/disable", null).status())
                .as("a tenant's person is disabled under the tenant").isEqualTo(404);

        var disabled = as(otherAdmin).post("/api/v1/users/" + id(finance) + "/disable", null);
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("disabledAt").isNull()).isFalse();
        assertThat(admin().post("/api/v1/users/" + id(otherAdmin) + "/disable", null).status()).isEqualTo(200);

        assertThat(as(finance).get("/api/v1/users/me").status()).isEqualTo(401);
        assertThat(as(otherAdmin).get("/api/v1/users/me").status()).isEqualTo(401);
    }

    /**
     * Two admins disabling each other at once must not leave the platform without one. Here the other
     * disable is a transaction that has disabled every active platform admin but the target and not yet
     * committed: the request waits for it, then finds the target the last one.
     */
    @Test
    void theLastActivePlatformAdminCannotBeDisabledEvenByARacingRequest() throws Exception {
        String caller = user("PLATFORM_ADMIN", null);
        String target = user("PLATFORM_ADMIN", null);
        UUID targetId = id(target);
        try (Connection racing = TestDatabase.get().connect()) {
            racing.setAutoCommit(false);
            List<UUID> disabled = new ArrayList<>();
            try (PreparedStatement others = racing.prepareStatement("UPDATE app_user SET disabled_at = now() "
                    + "WHERE role = 'PLATFORM_ADMIN' AND disabled_at IS NULL AND id <> ? RETURNING id")) {
                others.setObject(1, targetId);
                try (ResultSet rows = others.executeQuery()) {
                    while (rows.next()) {
                        disabled.add(rows.getObject(1, UUID.class));
                    }
                }
            }
            try {
                var request = CompletableFuture.supplyAsync(() -> as(caller).post("/api/v1/users/" + targetId + "/disable", null));
                Thread.sleep(1500);
                racing.commit();

                var answer = request.get(30, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.body()).isEqualTo(409);
                assertThat(answer.body()).contains("last active PLATFORM_ADMIN");
            } finally {
                try (PreparedStatement restore = racing.prepareStatement("UPDATE app_user SET disabled_at = NULL WHERE id = ANY (?)")) {
                    restore.setArray(1, racing.createArrayOf("uuid", disabled.toArray()));
                    restore.executeUpdate();
                }
                racing.commit();
            }
        }
        assertThat(admin().get("/api/v1/users").json().valueStream()
                .filter(person -> person.get("username").asString().equals(target)).findFirst().orElseThrow()
                .get("disabledAt").isNull()).isTrue();
    }

    @Test
    void aPersonChangesTheirPasswordWithTheCurrentOneAndEverySessionEnds(CapturedOutput output) {
        String developer = user("DEVELOPER", tenant);
        String newPassword = "a-new-password-" + UUID.randomUUID();
        BrowserSession browser = new BrowserSession("http://127.0.0.1:" + port);
        assertThat(BrowserSession.accepted(browser.logIn(developer, PASSWORD))).isTrue();

        var wrong = as(developer).put("/api/v1/users/me/password",
                "{\"currentPassword\":\"not-the-password\",\"newPassword\":\"" + newPassword + "\"}");
        var tooShort = as(developer).put("/api/v1/users/me/password",
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"short\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(browser.get("/api/v1/users/me").statusCode()).isEqualTo(200);

        assertThat(as(developer).put("/api/v1/users/me/password",
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + newPassword + "\"}").status()).isEqualTo(204);

        assertThat(as(developer).get("/api/v1/users/me").status()).isEqualTo(401);
        assertThat(admin().as(developer, newPassword).get("/api/v1/users/me").status()).isEqualTo(200);
        assertThat(browser.get("/api/v1/users/me").statusCode()).isEqualTo(401);
        var audit = admin().get("/api/v1/audit-events?actor=" + developer);
        assertThat(audit.body()).contains("\"action\":\"user.password\"").doesNotContain(newPassword).doesNotContain(PASSWORD);
        assertThat(output.getAll()).doesNotContain(newPassword);
    }

    @Test
    void anAdministratorResetsAPasswordOfTheirTenantOnly(CapturedOutput output) {
        String developer = user("DEVELOPER", tenant);
        String newPassword = "reset-by-admin-" + UUID.randomUUID();
        BrowserSession browser = new BrowserSession("http://127.0.0.1:" + port);
        assertThat(BrowserSession.accepted(browser.logIn(developer, PASSWORD))).isTrue();
        String body = "{\"newPassword\":\"" + newPassword + "\"}";

        assertThat(as(developer).put("/api/v1/tenants/" + tenant + "/users/" + id(developer) + "/password", body).status())
                .as("a developer is no administrator").isEqualTo(403);
        assertThat(as(tenantAdmin).put("/api/v1/tenants/" + tenant + "/users/" + id(tenantAdmin) + "/password", body).status())
                .as("their own goes through /users/me/password").isEqualTo(409);
        assertThat(as(tenantAdmin).put("/api/v1/tenants/" + tenant + "/users/" + id(developer) + "/password", body).status())
                .isEqualTo(204);

        assertThat(as(developer).get("/api/v1/users/me").status()).isEqualTo(401);
        assertThat(admin().as(developer, newPassword).get("/api/v1/users/me").status()).isEqualTo(200);
        assertThat(browser.get("/api/v1/users/me").statusCode()).isEqualTo(401);
        assertThat(admin().get("/api/v1/audit-events?actor=" + tenantAdmin).body())
                .contains("\"action\":\"user.password\"").doesNotContain(newPassword);
        assertThat(output.getAll()).doesNotContain(newPassword);

        String finance = user("FINANCE", null);
        assertThat(admin().put("/api/v1/users/" + id(finance) + "/password", body).status()).isEqualTo(204);
        assertThat(admin().as(finance, newPassword).get("/api/v1/users/me").status()).isEqualTo(200);
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsRefusedWith400() {
        String developer = user("DEVELOPER", tenant);
        String long73 = "é".repeat(37); // 74 bytes in UTF-8, within 128 characters
        String create = "{\"username\":\"long-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"password\":\"" + long73
                + "\",\"role\":\"DEVELOPER\",\"tenantId\":\"" + tenant + "\"}";

        var created = admin().post("/api/v1/users", create);
        var changed = as(developer).put("/api/v1/users/me/password",
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + long73 + "\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(400);
        assertThat(created.body()).contains("72 bytes");
        assertThat(changed.status()).as(changed.body()).isEqualTo(400);
    }

    private UUID id(String username) {
        return UUID.fromString(userId(username));
    }

    private String userId(String username) {
        for (var platformUser : admin().get("/api/v1/users").json()) {
            if (platformUser.get("username").asString().equals(username)) {
                return platformUser.get("id").asString();
            }
        }
        for (var person : admin().get("/api/v1/tenants/" + tenant + "/users").json()) {
            if (person.get("username").asString().equals(username)) {
                return person.get("id").asString();
            }
        }
        throw new IllegalStateException("no user " + username);
    }
}
