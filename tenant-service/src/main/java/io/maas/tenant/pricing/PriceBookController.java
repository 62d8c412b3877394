package io.maas.tenant.pricing;

import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookTemplates;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.tenant.TenantView;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Price books. Create, add a version, make default, assign: {@code PLATFORM_ADMIN}. List and read
 * any book: {@code PLATFORM_ADMIN}, {@code FINANCE}; a tenant's people read the book of their tenant.
 * Books are shown in the pricing library's JSON ({@link PricingJson}).
 */
@RestController
class PriceBookController {

    /**
     * Either {@code template} (a built-in name, optionally stored under {@code name}) or {@code book}
     * (a whole book in the pricing JSON).
     */
    record CreateBook(String template, String name, JsonNode book) {
    }

    record Assignment(String priceBook) {
    }

    private final PriceBooks books;
    private final JsonMapper json;

    PriceBookController(PriceBooks books, JsonMapper json) {
        this.books = books;
        this.json = json;
    }

    @GetMapping("/api/v1/price-book-templates")
    List<String> templates() {
        return PriceBookTemplates.NAMES;
    }

    @GetMapping("/api/v1/price-books")
    List<PriceBooks.Summary> list() {
        return books.list();
    }

    @PostMapping("/api/v1/price-books")
    ResponseEntity<String> create(@RequestBody CreateBook request) {
        PriceBook book;
        if (request.template() != null && request.book() == null) {
            if (!PriceBookTemplates.NAMES.contains(request.template())) {
                throw ApiException.notFound("price book template", request.template());
            }
            PriceBook template = PriceBookTemplates.load(request.template());
            String name = request.name() == null || request.name().isBlank() ? template.name() : request.name();
            book = new PriceBook(name, template.decidingInstant(), template.versions());
        } else if (request.book() != null && request.template() == null) {
            book = PricingJson.readPriceBook(json.writeValueAsString(request.book()));
        } else {
            throw ApiException.badRequest("Send either \"template\" (one of " + PriceBookTemplates.NAMES
                    + ") or \"book\" (a price book in JSON), not both and not neither.");
        }
        return bookJson(HttpStatus.CREATED, books.create(book));
    }

    @GetMapping("/api/v1/price-books/{name}")
    ResponseEntity<String> get(@PathVariable String name) {
        return bookJson(HttpStatus.OK, books.visible(name));
    }

    /** Appends a version (the pricing JSON of one version); it applies from its {@code effectiveFrom}, which must not be past. */
    @PostMapping("/api/v1/price-books/{name}/versions")
    ResponseEntity<String> addVersion(@PathVariable String name, @RequestBody JsonNode version) {
        String wrapped = "{\"name\":" + json.writeValueAsString(name) + ",\"versions\":[" + json.writeValueAsString(version) + "]}";
        PriceBookVersion parsed = PricingJson.readPriceBook(wrapped).versions().getFirst();
        return bookJson(HttpStatus.CREATED, books.addVersion(name, parsed));
    }

    @PutMapping("/api/v1/price-books/{name}/platform-default")
    ResponseEntity<Void> makeDefault(@PathVariable String name) {
        books.makePlatformDefault(name);
        return ResponseEntity.noContent().build();
    }

    /** Assigns a book to a tenant; {@code {"priceBook": null}} returns it to the platform default. */
    @PutMapping("/api/v1/tenants/{tenantId}/price-book")
    TenantView assign(@PathVariable UUID tenantId, @RequestBody Assignment request) {
        return books.assign(tenantId, request.priceBook());
    }

    @GetMapping("/api/v1/tenants/{tenantId}/price-book")
    ResponseEntity<String> ofTenant(@PathVariable UUID tenantId) {
        return bookJson(HttpStatus.OK, books.ofTenant(tenantId));
    }

    private static ResponseEntity<String> bookJson(HttpStatus status, PriceBook book) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(PricingJson.write(book));
    }
}
