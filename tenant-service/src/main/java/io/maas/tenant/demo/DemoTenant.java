package io.maas.tenant.demo;

import io.maas.api.keys.ApiKeySecret;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBookTemplates;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.tenant.audit.AuditLog;
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
 * The embedded platform's demo, seeded by the control plane at start-up: when
 * {@code platform.tenant.demo.api-key} is set, tenant {@code platform.tenant.demo.tenant} and that key
 * exist once tenant-service has started. Idempotent (one transaction under an advisory lock, every row
 * written only when missing), so {@code ./platform up} hands the same key to every start; what it creates is audited as
 * the system.
 *
 * <p>Demo data, so that money limits are visible in the demo: when the platform has no default price
 * book, a book named {@value #DEMO_BOOK} becomes the default, pricing {@code platform.tenant.demo.models}
 * at deepseek-2026's deepseek-flash prices and tiers; a demo tenant without any credit becomes prepaid
 * with a grant of {@value #DEMO_GRANT} CNY. The log line {@code DEMO tenant=<id> key_id=<id>} names the
 * demo tenant and key for {@code ./platform up}'s READY line.
 */
@Component
@ConditionalOnProperty("platform.tenant.demo.api-key")
class DemoTenant implements ApplicationRunner {

    static final String DEMO_BOOK = "demo";
    static final String DEMO_GRANT = "10";
    private static final Logger log = LoggerFactory.getLogger(DemoTenant.class);

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final DemoProperties demo;

    DemoTenant(JdbcClient jdbc, AuditLog audit, DemoProperties demo) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.demo = demo;
        if (!ApiKeySecret.isWellFormed(demo.apiKey())) {
            throw new IllegalArgumentException("platform.tenant.demo.api-key must look like 'sk-' followed by at least 32 letters or digits");
        }
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('platform.tenant.demo'))").query().singleRow(); // replicas seed one at a time
        UUID tenant = tenant();
        UUID key = key(tenant);
        demoPriceBook();
        demoGrant(tenant);
        log.info("DEMO tenant={} key_id={}", tenant, key);
    }

    private UUID tenant() {
        UUID id = UUID.randomUUID();
        if (jdbc.sql("INSERT INTO tenant (id, name) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").params(id, demo.tenant()).update() == 1) {
            audit.recordBySystem("tenant.create", id, "tenant/" + id, Map.of("name", demo.tenant(), "source", "demo"));
            log.info("Demo tenant '{}' ({}) created", demo.tenant(), id);
            return id;
        }
        return jdbc.sql("SELECT id FROM tenant WHERE name = ?").param(demo.tenant()).query(UUID.class).single();
    }

    private UUID key(UUID tenant) {
        String secret = demo.apiKey();
        UUID id = UUID.randomUUID();
        int created = jdbc.sql("""
                        INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'demo', ?, ?)
                        ON CONFLICT (secret_hash) DO NOTHING""")
                .params(id, tenant, ApiKeySecret.prefix(secret), ApiKeySecret.hash(secret)).update();
        if (created == 1) {
            audit.recordBySystem("api-key.create", tenant, "api-key/" + id, Map.of("name", "demo", "prefix", ApiKeySecret.prefix(secret)));
            log.info("Demo API key {}… created for tenant '{}'", ApiKeySecret.prefix(secret), demo.tenant());
            return id;
        }
        var owner = jdbc.sql("SELECT id, tenant_id FROM api_key WHERE secret_hash = ?").param(ApiKeySecret.hash(secret))
                .query((rs, row) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}).single();
        if (!owner[1].equals(tenant)) {
            throw new IllegalStateException("platform.tenant.demo.api-key belongs to another tenant than '" + demo.tenant()
                    + "'; give the demo a key of its own");
        }
        return owner[0];
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
        demo.models().forEach(model -> models.put(model, flash));
        var version = new PriceBookVersion(template.version(), template.effectiveFrom(), models, template.schedule());
        jdbc.sql("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, ?, ?, ?::jsonb)")
                .params(book, version.version(), Timestamp.from(version.effectiveFrom()), PricingJson.write(version)).update();
        audit.recordBySystem("price-book.create", null, "price-book/" + DEMO_BOOK,
                Map.of("name", DEMO_BOOK, "platformDefault", true, "models", models.keySet()));
        log.info("Demo data: price book '{}' is the platform default, pricing {} at deepseek-2026's deepseek-flash prices",
                DEMO_BOOK, models.keySet());
    }

    private void demoGrant(UUID tenant) {
        UUID credit = UUID.randomUUID();
        int granted = jdbc.sql("""
                        INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, note, created_by)
                        SELECT ?, ?, 'GRANT', 'CNY', ?, 'demo grant', 'system'
                        WHERE NOT EXISTS (SELECT 1 FROM balance_credit WHERE tenant_id = ?)""")
                .params(credit, tenant, new BigDecimal(DEMO_GRANT), tenant).update();
        if (granted == 1) {
            jdbc.sql("UPDATE tenant SET billing_mode = 'PREPAID' WHERE id = ?").param(tenant).update();
            audit.recordBySystem("balance.grant", tenant, "balance-credit/" + credit,
                    Map.of("currency", "CNY", "amount", DEMO_GRANT, "billingMode", "PREPAID"));
            log.info("Demo data: tenant '{}' is prepaid with a grant of CNY {}", demo.tenant(), DEMO_GRANT);
        }
    }
}
