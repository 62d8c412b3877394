package io.maas.gateway.pricebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.db.testing.TestDatabase;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookTemplates;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The books in force for a settlement batch, asked for one tenant and for many: each tenant's own book, and a book assigned
 * or a version added is what the very next ask answers.
 */
class TenantPriceBooksIT {

    private static final PriceBook TEMPLATE = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026);

    private final JdbcClient sql;
    private final TenantPriceBooks books;

    TenantPriceBooksIT() {
        TestDatabase db = TestDatabase.get();
        sql = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        books = new TenantPriceBooks(sql);
    }

    @Test
    void oneTenantAndManyTenantsEachGetTheirOwnBook() {
        UUID first = tenantWith(book("first"));
        UUID second = tenantWith(book("second"));

        assertThat(names(books.of(Set.of(first)))).containsExactly(Map.entry(first, "first"));
        assertThat(names(books.of(Set.of(first, second)))).containsOnly(Map.entry(first, "first"), Map.entry(second, "second"));
    }

    @Test
    void aBookAssignedOrAVersionAddedIsWhatTheNextAskAnswers() {
        UUID tenant = tenantWith(book("before"));
        assertThat(names(books.of(Set.of(tenant)))).containsExactly(Map.entry(tenant, "before"));

        UUID after = book("after");
        sql.sql("UPDATE tenant SET price_book_id = ? WHERE id = ?").params(after, tenant).update();
        assertThat(names(books.of(Set.of(tenant)))).as("assigned").containsExactly(Map.entry(tenant, "after"));

        addVersion(after, TEMPLATE.versions().size() + 1, "later");
        assertThat(books.of(Set.of(tenant)).get(tenant).versions()).as("a version added")
                .hasSize(TEMPLATE.versions().size() + 1).last().extracting(PriceBookVersion::version).isEqualTo("later");
    }

    /** A book with the template's versions, named {@code name} and a suffix of this run; returns its id. */
    private UUID book(String name) {
        UUID id = UUID.randomUUID();
        sql.sql("INSERT INTO price_book (id, name) VALUES (?, ?)").params(id, name + "-" + id).update();
        int seq = 0;
        for (PriceBookVersion version : TEMPLATE.versions()) {
            insertVersion(id, ++seq, version);
        }
        return id;
    }

    private void addVersion(UUID book, int seq, String name) {
        PriceBookVersion last = TEMPLATE.versions().getLast();
        insertVersion(book, seq, new PriceBookVersion(name, last.effectiveFrom().plusSeconds(86_400), last.models(), last.schedule(),
                last.batch()));
    }

    private void insertVersion(UUID book, int seq, PriceBookVersion version) {
        sql.sql("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, ?, ?, ?, ?::jsonb)")
                .params(book, seq, version.version(), Timestamp.from(version.effectiveFrom()), PricingJson.write(version)).update();
    }

    private UUID tenantWith(UUID book) {
        UUID tenant = UUID.randomUUID();
        sql.sql("INSERT INTO tenant (id, name, price_book_id) VALUES (?, ?, ?)").params(tenant, "books-" + tenant, book).update();
        return tenant;
    }

    /** Each tenant's book by its name without this run's suffix. */
    private static List<Map.Entry<UUID, String>> names(Map<UUID, PriceBook> books) {
        return books.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue().name().substring(0, e.getValue().name().length() - 37)))
                .toList();
    }
}
