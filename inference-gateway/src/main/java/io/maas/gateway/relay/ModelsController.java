package io.maas.gateway.relay;

import io.maas.api.openai.ModelList;
import io.maas.gateway.admission.Admitter;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.routing.ModelRoutes;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models}: the models this gateway routes that the caller's key may use, with the
 * {@code x-ratelimit-*} headers of the key's rate limits as they stand (this answer counts against none).
 */
@RestController
class ModelsController {

    private final ModelRoutes routes;
    private final Admitter admitter;
    private final Clock clock;
    private final long created = Instant.now().getEpochSecond();

    ModelsController(ModelRoutes routes, Admitter admitter, Clock clock) {
        this.routes = routes;
        this.admitter = admitter;
        this.clock = clock;
    }

    @GetMapping("/v1/models")
    ModelList models(CallerKey caller, HttpServletResponse response) {
        admitter.headers(caller, clock.instant()).forEach(response::setHeader);
        return ModelList.of(routes.all(caller).stream()
                .map(route -> ModelList.Model.of(route.model(), created, route.ownedBy()))
                .toList());
    }
}
