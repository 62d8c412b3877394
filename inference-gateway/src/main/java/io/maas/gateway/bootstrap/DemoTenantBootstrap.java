package io.maas.gateway.bootstrap;

import io.maas.api.keys.ApiKeySecret;
import io.maas.gateway.GatewayProperties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The embedded platform's demo: when {@code platform.gateway.bootstrap.api-key} is set, tenant
 * {@code platform.gateway.bootstrap.tenant} and that key exist once the gateway has started.
 * Idempotent, so {@code ./platform up} can hand the same key to every start.
 */
@Component
@ConditionalOnProperty("platform.gateway.bootstrap.api-key")
class DemoTenantBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoTenantBootstrap.class);

    private final JdbcClient jdbc;
    private final GatewayProperties.Bootstrap bootstrap;

    DemoTenantBootstrap(JdbcClient jdbc, GatewayProperties properties) {
        this.jdbc = jdbc;
        this.bootstrap = properties.bootstrap();
        if (!ApiKeySecret.isWellFormed(bootstrap.apiKey())) {
            throw new IllegalArgumentException("platform.gateway.bootstrap.api-key must look like 'sk-' followed by"
                    + " at least 32 letters or digits");
        }
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        jdbc.sql("INSERT INTO tenant (id, name) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
                .params(UUID.randomUUID(), bootstrap.tenant()).update();
        UUID tenant = jdbc.sql("SELECT id FROM tenant WHERE name = ?").param(bootstrap.tenant()).query(UUID.class).single();
        String key = bootstrap.apiKey();
        int created = jdbc.sql("""
                        INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'bootstrap', ?, ?)
                        ON CONFLICT (secret_hash) DO NOTHING""")
                .params(UUID.randomUUID(), tenant, ApiKeySecret.prefix(key), ApiKeySecret.hash(key)).update();
        log.info("Bootstrap tenant '{}' ({}) with API key {}… {}", bootstrap.tenant(), tenant, ApiKeySecret.prefix(key),
                created == 1 ? "created" : "present");
    }
}
