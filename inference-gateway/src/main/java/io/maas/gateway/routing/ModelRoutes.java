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
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Model name → the engine endpoints that serve it: the deployments of the control plane
 * ({@link DeploymentRegistry}) and the static routes of configuration ({@code platform.gateway.models}).
 *
 * <p>Which one serves a caller, first match wins: the caller's tenant's private deployment of that
 * name, then a shared deployment, then a static route. A private deployment is invisible to every
 * other tenant: they get the same 404 as for a model that does not exist.
 */
@Component
public class ModelRoutes {

    /** An endpoint of a route; {@code replicaId} null for a static route. */
    public record Target(URI endpoint, UUID replicaId, boolean draining) {
    }

    /**
     * A model and the endpoints that serve it; {@code deploymentId} null for a static route. {@code catalogModel} is
     * what the model is priced as unless the tenant's book names {@code model} itself: a deployment's catalog model,
     * or a static route's own name.
     */
    public record Route(String model, String ownedBy, UUID deploymentId, String catalogModel, List<Target> targets) {

        /** Every endpoint of the route, draining ones too: where a request of it may have been sent. */
        public List<URI> endpoints() {
            return targets.stream().map(Target::endpoint).toList();
        }
    }

    private final Map<String, Route> statics = new LinkedHashMap<>();
    private final DeploymentRegistry deployments;

    ModelRoutes(GatewayProperties properties, DeploymentRegistry deployments) {
        this.deployments = deployments;
        for (GatewayProperties.ModelRoute route : properties.models()) {
            statics.put(route.name(), new Route(route.name(), route.ownedBy(), null, route.name(),
                    route.endpoints().stream().map(e -> new Target(e, null, false)).toList()));
        }
    }

    /**
     * The route of {@code model} for {@code caller}; 404 when none serves it or when the caller's key
     * may not use it (the same answer: a key does not learn which models exist beyond its own).
     */
    public Route resolve(String model, CallerKey caller) {
        Route route = caller.mayUse(model) ? find(model, caller.tenantId()) : null;
        if (route == null) {
            throw new ApiException(ApiError.MODEL_NOT_FOUND, "The model '" + model
                    + "' does not exist or you do not have access to it. GET /v1/models lists the models you can use.", "model");
        }
        return route;
    }

    /** The routes {@code caller} may use, one per model name. */
    public List<Route> all(CallerKey caller) {
        Map<String, Route> visible = new LinkedHashMap<>();
        for (String name : statics.keySet()) {
            visible.put(name, null);
        }
        deployments.all().keySet().stream().sorted().forEach(name -> visible.put(name, null));
        List<Route> routes = new ArrayList<>();
        for (String name : visible.keySet()) {
            Route route = caller.mayUse(name) ? find(name, caller.tenantId()) : null;
            if (route != null) {
                routes.add(route);
            }
        }
        return routes;
    }

    private Route find(String model, UUID tenant) {
        DeploymentRegistry.Served served = deployments.served(model);
        if (served != null) {
            DeploymentRegistry.Deployment own = served.privates().get(tenant);
            if (own != null) {
                return route(own);
            }
            if (served.shared() != null) {
                return route(served.shared());
            }
        }
        return statics.get(model);
    }

    private static Route route(DeploymentRegistry.Deployment deployment) {
        return new Route(deployment.servedModelName(), "maas", deployment.id(), deployment.catalogModel(), deployment.replicas().stream()
                .map(r -> new Target(r.endpoint(), r.id(), r.draining()))
                .toList());
    }
}
