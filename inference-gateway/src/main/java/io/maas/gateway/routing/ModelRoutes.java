package io.maas.gateway.routing;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.auth.CallerKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Model name → the engine endpoints that serve it, from configuration. Endpoints of a model are
 * offered in rotation; the relay moves on to the next one when an endpoint cannot be reached.
 */
@Component
public class ModelRoutes {

    /** A model and its endpoints, in the order to try them for one request. */
    public record Route(String model, String ownedBy, List<URI> endpoints) {
    }

    private record Entry(GatewayProperties.ModelRoute config, AtomicInteger next) {
    }

    private final Map<String, Entry> routes = new LinkedHashMap<>();

    ModelRoutes(GatewayProperties properties) {
        for (GatewayProperties.ModelRoute route : properties.models()) {
            routes.put(route.name(), new Entry(route, new AtomicInteger()));
        }
    }

    /**
     * The route of {@code model}, its endpoints rotated so that load spreads; 404 when no route
     * serves it or when the caller's key may not use it (the same answer: a key does not learn
     * which models exist beyond its own).
     */
    public Route resolve(String model, CallerKey caller) {
        Entry entry = routes.get(model);
        if (entry == null || !caller.mayUse(model)) {
            throw new ApiException(ApiError.MODEL_NOT_FOUND, "The model '" + model
                    + "' does not exist or you do not have access to it. GET /v1/models lists the models you can use.", "model");
        }
        List<URI> endpoints = entry.config().endpoints();
        int start = Math.floorMod(entry.next().getAndIncrement(), endpoints.size());
        List<URI> order = new ArrayList<>(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            order.add(endpoints.get((start + i) % endpoints.size()));
        }
        return new Route(model, entry.config().ownedBy(), order);
    }

    /** The routes {@code caller} may use. */
    public List<Route> all(CallerKey caller) {
        return routes.values().stream()
                .filter(e -> caller.mayUse(e.config().name()))
                .map(e -> new Route(e.config().name(), e.config().ownedBy(), e.config().endpoints()))
                .toList();
    }
}
