package io.maas.tenant.catalog;

import io.maas.tenant.system.ApiException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/catalog} and {@code GET /api/v1/catalog/{model}}: the deployable models, for every signed-in role. */
@RestController
class CatalogController {

    private final Catalog catalog;

    CatalogController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/api/v1/catalog")
    List<CatalogEntry> all() {
        return catalog.all();
    }

    @GetMapping("/api/v1/catalog/{model}")
    CatalogEntry one(@PathVariable String model) {
        return catalog.find(model).orElseThrow(() -> ApiException.notFound("catalog model", model));
    }
}
