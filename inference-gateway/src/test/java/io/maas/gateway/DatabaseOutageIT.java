package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maas.api.keys.ApiKeySecret;
import io.maas.db.testing.TestDatabase;
import io.maas.gateway.metering.UsageRecorder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL goes away and comes back under a running gateway (its connections cut and refused by a
 * relay): a key and limits seen a moment before keep being served and their usage is spooled, a key
 * never seen is refused with 503 (never a 500), and once PostgreSQL is back the spooled usage is written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOutageIT {

    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final URI DB = URI.create(TestDatabase.get().jdbcUrl().substring("jdbc:".length()));
    private static final PostgresProxy proxy = new PostgresProxy(DB.getHost(), DB.getPort());
    private static final Path SPOOL = Path.of("target", "outage-it-spool-" + UUID.randomUUID());
    private static final String KEY = ApiKeySecret.generate();
    private static final String NEVER_SEEN = ApiKeySecret.generate();

    private final GatewayCalls calls = new GatewayCalls();

    @LocalServerPort
    int port;

    @Autowired
    UsageRecorder recorder;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase db = TestDatabase.get();
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + proxy.port() + DB.getPath());
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("platform.gateway.models[0].name", () -> "scripted");
        registry.add("platform.gateway.models[0].endpoints[0]", () -> engine.uri().toString());
        registry.add("platform.gateway.usage-spool-dir", SPOOL::toString);
    }

    @AfterAll
    static void stop() {
        engine.close();
        proxy.close();
    }

    @Test
    void aBriefOutageServesKnownKeysFromTheLastGoodLookupAndLosesNoUsage() throws Exception {
        UUID tenant = UUID.randomUUID();
        TestRows.execute("INSERT INTO tenant (id, name) VALUES (?, ?)", tenant, "outage-it-" + tenant);
        TestRows.key(UUID.randomUUID(), tenant, KEY);
        TestRows.key(UUID.randomUUID(), tenant, NEVER_SEEN);
        assertThat(chat(KEY).statusCode()).isEqualTo(200);

        proxy.down();
        Thread.sleep(3_500); // past the key and limit caches' TTL: the gateway has to ask PostgreSQL again
        var during = chat(KEY);
        var unknown = chat(NEVER_SEEN);

        assertThat(during.statusCode()).as(during.body()).isEqualTo(200);
        String requestId = during.headers().firstValue("x-request-id").orElseThrow();
        assertThat(spooled()).as("waiting in the spool (pending, or taken aside by a replay that failed)").contains(requestId);
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(unknown.body()).contains("\"code\":\"service_unavailable\"");

        proxy.up();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            recorder.replaySpool();
            return recorded(requestId);
        });
        assertThat(chat(NEVER_SEEN).statusCode()).isEqualTo(200);
    }

    private java.net.http.HttpResponse<String> chat(String key) {
        return calls.send(port, "POST", "/v1/chat/completions", key,
                "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}],\"max_tokens\":5}");
    }

    /** Every line waiting in the spool: its pending file and the files a replay took aside. */
    private static String spooled() throws java.io.IOException {
        try (var files = Files.list(SPOOL)) {
            StringBuilder lines = new StringBuilder();
            for (var file : files.filter(f -> !f.getFileName().toString().startsWith("dead-letter")).toList()) {
                lines.append(Files.readString(file));
            }
            return lines.toString();
        }
    }

    private static boolean recorded(String requestId) throws SQLException {
        return Long.parseLong(TestRows.one("SELECT count(*) AS n FROM usage_record WHERE request_id = ?", requestId).get("n")) == 1;
    }
}
