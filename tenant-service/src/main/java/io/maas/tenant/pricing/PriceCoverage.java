package io.maas.tenant.pricing;

import io.maas.pricing.DecidingInstant;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.tenant.system.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Nothing served unpriced: a price book prices catalog models, and a deployment's served name is
 * priced as its catalog model unless the tenant's book names the served name itself
 * ({@link PriceBook#pricedAs}). Creating a deployment, or changing a price book, a platform default or
 * a tenant's book, so that some tenant who may call a served name would be charged nothing for it is
 * refused with 422 naming the model and the tenants. A model free on purpose carries an explicit
 * zero price in the book (a price-book change, audited like every other).
 */
@Service
public class PriceCoverage {

    /** A served name and its catalog model, callable by one tenant or, {@code tenantId} null, by every tenant. */
    public record Served(String name, String catalogModel, UUID tenantId) {
    }

    /** A tenant that may pay, and the book that prices it (null: none). */
    private record Payer(UUID id, String name, UUID bookId) {
    }

    private final JdbcClient jdbc;
    private final PriceBookVersionRepository versions;
    private final Clock clock;

    PriceCoverage(JdbcClient jdbc, PriceBookVersionRepository versions, Clock clock) {
        this.jdbc = jdbc;
        this.versions = versions;
        this.clock = clock;
    }

    /** Refuses a new deployment whose served name a tenant who may call it would use unpriced. */
    public void requirePriced(Served served) {
        refuseGaps(List.of(served), s -> payers(s.tenantId(), s.name()), id -> null);
    }

    /** Refuses giving book {@code bookId} the versions of {@code next} when that leaves a live deployment unpriced for its tenants. */
    void requireLiveDeploymentsPriced(UUID bookId, PriceBook next) {
        refuseGaps(live(), s -> payers(s.tenantId(), s.name()).stream().filter(p -> bookId.equals(p.bookId())).toList(),
                id -> id.equals(bookId) ? next : null);
    }

    /**
     * Refuses pricing {@code tenantId} (null: every tenant without a book of its own) by {@code bookId}
     * (null: none) when that leaves a live deployment unpriced for them.
     */
    void requireLiveDeploymentsPricedBy(UUID bookId, UUID tenantId) {
        refuseGaps(live(), s -> payers(s.tenantId(), s.name()).stream()
                .filter(p -> tenantId == null ? !hasOwnBook(p.id()) : tenantId.equals(p.id()))
                .map(p -> new Payer(p.id(), p.name(), bookId))
                .toList(), id -> null);
    }

    PriceBook load(UUID id, String name, DecidingInstant decidingInstant) {
        List<PriceBookVersion> all = versions.findByBookIdOrderBySeq(id).stream()
                .map(v -> PricingJson.mapper().readValue(v.document(), PriceBookVersion.class))
                .toList();
        return new PriceBook(name, decidingInstant, all);
    }

    private void refuseGaps(List<Served> served, Function<Served, List<Payer>> payersOf, Function<UUID, PriceBook> changed) {
        Instant now = clock.instant();
        Map<UUID, PriceBook> books = new HashMap<>();
        for (Served s : served) {
            List<String> unpriced = payersOf.apply(s).stream()
                    .filter(p -> p.bookId() == null
                            || !books.computeIfAbsent(p.bookId(), id -> bookOf(id, changed)).pricesFrom(now, s.name(), s.catalogModel()))
                    .map(Payer::name)
                    .toList();
            if (!unpriced.isEmpty()) {
                String model = s.name().equals(s.catalogModel()) ? "'" + s.name() + "'"
                        : "'" + s.name() + "' (a deployment of catalog model '" + s.catalogModel() + "')";
                throw ApiException.invalid(HttpStatus.UNPROCESSABLE_CONTENT, "model", "Model " + model + " would be served unpriced"
                                + " to tenant(s) " + unpriced + ": the price book in force for them (now or in a later version) prices"
                                + " no name of it. Price " + (s.name().equals(s.catalogModel()) ? "'" + s.name() + "'"
                                : "'" + s.catalogModel() + "' or '" + s.name() + "'") + " in their book first, with an explicit zero"
                                + " price if it is free on purpose.")
                        .with("model", s.name()).with("catalogModel", s.catalogModel()).with("tenants", unpriced);
            }
        }
    }

    private PriceBook bookOf(UUID id, Function<UUID, PriceBook> changed) {
        PriceBook book = changed.apply(id);
        if (book != null) {
            return book;
        }
        return jdbc.sql("SELECT name, deciding_instant FROM price_book WHERE id = ?").param(id)
                .query((rs, n) -> load(id, rs.getString(1), DecidingInstant.valueOf(rs.getString(2)))).single();
    }

    /**
     * The tenants that may call {@code model}: not deactivated, {@code tenantId} (null: any), holding a
     * key neither revoked nor expired that may call every model or this one; with their books in force.
     */
    private List<Payer> payers(UUID tenantId, String model) {
        return jdbc.sql("""
                        SELECT t.id, t.name, COALESCE(t.price_book_id, (SELECT d.id FROM price_book d WHERE d.platform_default))
                        FROM tenant t
                        WHERE t.status <> 'DEACTIVATED' AND (CAST(? AS uuid) IS NULL OR t.id = ?)
                          AND EXISTS (SELECT 1 FROM api_key k WHERE k.tenant_id = t.id AND k.revoked_at IS NULL
                                      AND (k.expires_at IS NULL OR k.expires_at > now())
                                      AND (k.allowed_models IS NULL OR ? = ANY (k.allowed_models)))
                        ORDER BY t.name""")
                .params(tenantId, tenantId, model)
                .query((rs, n) -> new Payer(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class)))
                .list();
    }

    private boolean hasOwnBook(UUID tenantId) {
        return jdbc.sql("SELECT price_book_id IS NOT NULL FROM tenant WHERE id = ?").param(tenantId).query(Boolean.class).single();
    }

    private List<Served> live() {
        return jdbc.sql("SELECT DISTINCT served_model_name, model, tenant_id FROM deployment WHERE state <> 'DELETED'")
                .query((rs, n) -> new Served(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class)))
                .list();
    }
}
