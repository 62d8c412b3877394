package io.maas.gateway.relay;

import io.maas.api.openai.ModelList;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.routing.ModelRoutes;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: the models this gateway routes that the caller's key may use. */
@RestController
class ModelsController {

    private final ModelRoutes routes;
    private final long created = Instant.now().getEpochSecond();

    ModelsController(ModelRoutes routes) {
        this.routes = routes;
    }

    @GetMapping("/v1/models")
    ModelList models(CallerKey caller) {
        return ModelList.of(routes.all(caller).stream()
                .map(route -> ModelList.Model.of(route.model(), created, route.ownedBy()))
                .toList());
    }
}
