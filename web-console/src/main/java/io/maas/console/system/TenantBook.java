package io.maas.console.system;

import io.maas.pricing.PriceBook;
import io.maas.pricing.PricingJson;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The models the price book in force for a tenant prices: what its keys and the playground offer. */
@Component
public class TenantBook {

    private final TenantApi api;

    TenantBook(TenantApi api) {
        this.api = api;
    }

    /** The models priced now for {@code tenantId}; empty when no book is in force. */
    public List<String> models(UUID tenantId) {
        try {
            PriceBook book = PricingJson.readPriceBook(api.get(String.class, "/api/v1/tenants/{id}/price-book", tenantId));
            return List.copyOf(book.versions().getLast().models().keySet());
        } catch (ApiProblem problem) {
            if (problem.status() == 404) {
                return List.of();
            }
            throw problem;
        }
    }
}
