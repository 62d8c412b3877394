package io.maas.gateway.anthropic;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.routing.ModelRoutes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /anthropic/v1/models} (and {@code /{id}}) in Anthropic's list shape: the models the caller's key may use,
 * then the aliases that name one model ({@link ModelNames}) whose model the key may use. One page holds them all.
 */
@RestController
class AnthropicModelsController {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ModelRoutes routes;
    private final ModelNames names;
    private final String created = Instant.now().toString();

    AnthropicModelsController(ModelRoutes routes, ModelNames names) {
        this.routes = routes;
        this.names = names;
    }

    @GetMapping("/anthropic/v1/models")
    ObjectNode models(CallerKey caller) {
        List<ObjectNode> models = visible(caller);
        ObjectNode page = NODES.objectNode();
        ArrayNode data = page.putArray("data");
        models.forEach(data::add);
        page.put("has_more", false);
        page.put("first_id", models.isEmpty() ? null : models.getFirst().get("id").asString());
        page.put("last_id", models.isEmpty() ? null : models.getLast().get("id").asString());
        return page;
    }

    @GetMapping("/anthropic/v1/models/{id}")
    ObjectNode model(@PathVariable String id, CallerKey caller) {
        return visible(caller).stream().filter(model -> model.get("id").asString().equals(id)).findFirst()
                .orElseThrow(() -> new ApiException(ApiError.MODEL_NOT_FOUND, "The model '" + id
                        + "' does not exist or you do not have access to it. GET /anthropic/v1/models lists the models you can use.",
                        "model"));
    }

    private List<ObjectNode> visible(CallerKey caller) {
        Set<String> served = routes.all(caller).stream().map(ModelRoutes.Route::model)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<ObjectNode> models = new ArrayList<>();
        served.forEach(name -> models.add(model(name, name)));
        for (ModelNames.Mapping alias : names.literals()) {
            if (served.contains(alias.model()) && !served.contains(alias.pattern())) {
                models.add(model(alias.pattern(), alias.pattern() + " (" + alias.model() + ")"));
            }
        }
        return models;
    }

    private ObjectNode model(String id, String displayName) {
        return NODES.objectNode().put("type", "model").put("id", id).put("display_name", displayName).put("created_at", created);
    }
}
