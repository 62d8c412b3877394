package io.maas.gateway.bootstrap;

import io.maas.api.keys.ApiKeySecret;
import io.maas.gateway.GatewayProperties;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBookTemplates;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
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
 *
 * <p>Demo data, so that money limits are visible in the demo: when the platform has no default price
 * book, a book named {@value #DEMO_BOOK} becomes the default, pricing every model this gateway routes
 * at deepseek-2026's deepseek-flash prices and tiers; a demo tenant without any credit becomes
 * prepaid with a grant of {@value #DEMO_GRANT} CNY. The log line {@code DEMO tenant=<id> key_id=<id>}
 * names the demo tenant and key for {@code ./platform up}'s READY line.
 */
@Component
@ConditionalOnProperty("platform.gateway.bootstrap.api-key")
class DemoTenantBootstrap implements ApplicationRunner {

    static final String DEMO_BOOK = "demo";
    static final String DEMO_GRANT = "10";
    private static final Logger log = LoggerFactory.getLogger(DemoTenantBootstrap.class);

    private final JdbcClient jdbc;
    private final GatewayProperties.Bootstrap bootstrap;
    private final GatewayProperties properties;

    DemoTenantBootstrap(JdbcClient jdbc, GatewayProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
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
        UUID keyId = jdbc.sql("SELECT id FROM api_key WHERE secret_hash = ?").param(ApiKeySecret.hash(key)).query(UUID.class).single();
        log.info("Bootstrap tenant '{}' ({}) with API key {}… {}", bootstrap.tenant(), tenant, ApiKeySecret.prefix(key),
                created == 1 ? "created" : "present");
        demoPriceBook();
        demoGrant(tenant);
        log.info("DEMO tenant={} key_id={}", tenant, keyId);
    }

    private void demoPriceBook() {
        UUID book = UUID.randomUUID();
        int created = jdbc.sql("""
                        INSERT INTO price_book (id, name, platform_default)
                        SELECT ?, ?, true WHERE NOT EXISTS (SELECT 1 FROM price_book WHERE platform_default OR name = ?)""")
                .params(book, DEMO_BOOK, DEMO_BOOK).update();
        if (created == 0) {
            return;
        }
        PriceBookVersion template = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026).versions().getFirst();
        ModelPrices flash = template.models().values().iterator().next();
        Map<String, ModelPrices> models = new LinkedHashMap<>();
        properties.models().forEach(route -> models.put(route.name(), flash));
        var version = new PriceBookVersion(template.version(), template.effectiveFrom(), models, template.schedule(), template.batch());
        jdbc.sql("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, ?, ?, ?::jsonb)")
                .params(book, version.version(), Timestamp.from(version.effectiveFrom()), PricingJson.write(version)).update();
        log.info("Demo data: price book '{}' is the platform default, pricing {} at deepseek-2026's deepseek-flash prices",
                DEMO_BOOK, models.keySet());
    }

    private void demoGrant(UUID tenant) {
        int granted = jdbc.sql("""
                        INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, note, created_by)
                        SELECT ?, ?, 'GRANT', 'CNY', ?, 'demo grant', 'gateway-bootstrap'
                        WHERE NOT EXISTS (SELECT 1 FROM balance_credit WHERE tenant_id = ?)""")
                .params(UUID.randomUUID(), tenant, new BigDecimal(DEMO_GRANT), tenant).update();
        if (granted == 1) {
            jdbc.sql("UPDATE tenant SET billing_mode = 'PREPAID' WHERE id = ?").param(tenant).update();
            log.info("Demo data: tenant '{}' is prepaid with a grant of CNY {}", bootstrap.tenant(), DEMO_GRANT);
        }
    }
}
