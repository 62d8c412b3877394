package io.maas.tenant.pricing;

import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookTemplates;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import io.maas.tenant.tenant.TenantView;
import io.maas.tenant.tenant.Tenants;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stored price books. A book is created whole (from a built-in template or from JSON) and then
 * only grows: {@link #addVersion} appends a version that takes effect at its instant, never in the
 * past ({@link PriceBook#withVersion}), so a price once charged is never changed. The rules
 * themselves live in the {@code pricing} library, the same code the gateway prices with.
 *
 * <p>Which book prices a tenant: the one assigned to it, else the platform default book.
 * Platform roles read and quote every book; tenant roles only their tenant's book — another book
 * is a 404 to them.
 */
@Service
class PriceBooks {

    /** A book's summary in lists. */
    record Summary(UUID id, String name, boolean platformDefault, int versions, String latestVersion) {
    }

    private final PriceBookRepository books;
    private final PriceBookVersionRepository versions;
    private final Tenants tenants;
    private final AuditLog audit;
    private final Clock clock;
    private final PriceCoverage coverage;

    PriceBooks(PriceBookRepository books, PriceBookVersionRepository versions, Tenants tenants, AuditLog audit, Clock clock,
               PriceCoverage coverage) {
        this.books = books;
        this.versions = versions;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
        this.coverage = coverage;
    }

    /** Stores {@code book}; from a template, {@code book} is {@link PriceBookTemplates#load} renamed as asked. */
    @Transactional
    PriceBook create(PriceBook book) {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN);
        if (books.findByName(book.name()).isPresent()) {
            throw ApiException.conflict("A price book named '" + book.name() + "' exists already; add a version to it or choose another name.");
        }
        PriceBookRow row = books.save(new PriceBookRow(book.name(), book.decidingInstant(), clock.instant()));
        int seq = 0;
        for (PriceBookVersion version : book.versions()) {
            versions.save(new PriceBookVersionRow(row.id(), ++seq, version.version(), version.effectiveFrom(),
                    PricingJson.write(version), clock.instant()));
        }
        audit.record("price-book.create", null, "price-book/" + book.name(), null, Map.of("name", book.name(),
                "versions", book.versions().stream().map(PriceBookVersion::version).toList()));
        return book;
    }

    /** Appends {@code version} to book {@code name}; refused when it would take effect before now or before the latest version. */
    @Transactional
    PriceBook addVersion(String name, PriceBookVersion version) {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN);
        PriceBookRow row = books.lockByName(name).orElseThrow(() -> ApiException.notFound("price book", name));
        PriceBook current = assemble(row);
        PriceBook next = current.withVersion(version, clock.instant());
        coverage.requireLiveDeploymentsPriced(row.id(), next);
        versions.save(new PriceBookVersionRow(row.id(), next.versions().size(), version.version(), version.effectiveFrom(),
                PricingJson.write(version), clock.instant()));
        audit.record("price-book.add-version", null, "price-book/" + name,
                Map.of("latestVersion", current.versions().getLast().version()),
                Map.of("latestVersion", version.version(), "effectiveFrom", version.effectiveFrom().toString()));
        return next;
    }

    @Transactional
    void makePlatformDefault(String name) {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN);
        PriceBookRow row = books.findByName(name).orElseThrow(() -> ApiException.notFound("price book", name));
        coverage.requireLiveDeploymentsPricedBy(row.id(), null);
        var previous = books.findByPlatformDefaultTrue();
        previous.ifPresent(p -> {
            p.platformDefault(false);
            books.flush();
        });
        row.platformDefault(true);
        audit.record("price-book.platform-default", null, "price-book/" + name,
                previous.map(p -> Map.of("platformDefault", p.name())).orElse(null), Map.of("platformDefault", name));
    }

    @Transactional
    TenantView assign(UUID tenantId, String name) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        caller.require(Role.PLATFORM_ADMIN);
        UUID bookId = name == null ? null : books.findByName(name).orElseThrow(() -> ApiException.notFound("price book", name)).id();
        coverage.requireLiveDeploymentsPricedBy(bookId == null ? defaultBookId() : bookId, tenantId);
        return tenants.assignPriceBook(tenantId, bookId);
    }

    @Transactional(readOnly = true)
    List<Summary> list() {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.FINANCE);
        return books.findAllByOrderByName().stream().map(row -> {
            List<PriceBookVersionRow> all = versions.findByBookIdOrderBySeq(row.id());
            return new Summary(row.id(), row.name(), row.platformDefault(), all.size(), all.getLast().version());
        }).toList();
    }

    /** Book {@code name}, if the caller may see it: platform roles any, tenant roles their tenant's book only. */
    @Transactional(readOnly = true)
    PriceBook visible(String name) {
        Caller caller = CurrentCaller.get();
        PriceBookRow row = books.findByName(name).orElseThrow(() -> ApiException.notFound("price book", name));
        if (!caller.seesAllTenants() && !row.id().equals(bookIdOf(caller.tenantId()))) {
            throw ApiException.notFound("price book", name);
        }
        return assemble(row);
    }

    /** The book that prices the caller's requests (tenant roles) or the platform default (platform roles). */
    @Transactional(readOnly = true)
    PriceBook callersBook() {
        Caller caller = CurrentCaller.get();
        UUID bookId = caller.seesAllTenants() ? defaultBookId() : bookIdOf(caller.tenantId());
        if (bookId == null) {
            throw ApiException.notFound("price book", caller.seesAllTenants() ? "platform default" : "of your tenant");
        }
        return assemble(books.findById(bookId).orElseThrow());
    }

    /** The book in force for {@code tenantId}: its own, else the platform default. */
    @Transactional(readOnly = true)
    PriceBook ofTenant(UUID tenantId) {
        UUID bookId = bookIdOf(tenantId);
        if (bookId == null) {
            throw ApiException.notFound("price book", "of tenant " + tenantId);
        }
        return assemble(books.findById(bookId).orElseThrow());
    }

    private UUID bookIdOf(UUID tenantId) {
        tenants.visible(tenantId);
        return books.inForceFor(tenantId).orElse(null);
    }

    private UUID defaultBookId() {
        return books.findByPlatformDefaultTrue().map(PriceBookRow::id).orElse(null);
    }

    private PriceBook assemble(PriceBookRow row) {
        return coverage.load(row.id(), row.name(), row.decidingInstant());
    }
}
