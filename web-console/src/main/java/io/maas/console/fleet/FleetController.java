package io.maas.console.fleet;

import io.maas.console.deployments.Deployment;
import io.maas.console.system.GatewayApi;
import io.maas.console.system.TenantApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The fleet for the platform admin: every engine, grouped by deployment (tenant-service's replicas,
 * with their accelerators) and the gateway's static routes, with its health and load as the gateway's
 * router sees them now ({@link GatewayApi#fleet}); engines by accelerator vendor. The view refreshes
 * itself every few seconds. Without the gateway's view the replicas are still listed, with the notice why.
 */
@Controller
@RequestMapping("/fleet")
class FleetController {

    /** A replica beside what the gateway knows of its endpoint (null when the gateway does not route to it, or cannot be asked). */
    record Engine(Deployment.Replica replica, GatewayApi.Endpoint endpoint) {
    }

    record Group(Deployment deployment, List<Engine> engines) {
    }

    /** Ready replicas and their accelerators, per vendor. */
    record VendorCount(String vendor, int engines, int accelerators) {
    }

    private static final ParameterizedTypeReference<List<Deployment>> DEPLOYMENTS = new ParameterizedTypeReference<>() { };

    private final TenantApi api;
    private final GatewayApi gateway;

    FleetController(TenantApi api, GatewayApi gateway) {
        this.api = api;
        this.gateway = gateway;
    }

    @GetMapping
    ModelAndView fleet() {
        return view("fleet/fleet");
    }

    /** The fleet section alone, which the page asks for again every few seconds. */
    @GetMapping("/view")
    ModelAndView section() {
        return view("fleet/fleet :: fleet");
    }

    private ModelAndView view(String template) {
        List<Deployment> deployments = api.get(DEPLOYMENTS, "/api/v1/deployments").stream()
                .filter(d -> !d.state().equals("DELETED")).toList();
        Optional<List<GatewayApi.Endpoint>> seen = gateway.fleet();
        Map<String, GatewayApi.Endpoint> byUrl = new HashMap<>();
        seen.ifPresent(endpoints -> endpoints.forEach(e -> byUrl.put(e.endpoint(), e)));

        Set<String> ofDeployments = new HashSet<>();
        List<Group> groups = new ArrayList<>();
        Map<String, VendorCount> vendors = new TreeMap<>();
        for (Deployment d : deployments) {
            List<Engine> engines = new ArrayList<>();
            for (Deployment.Replica r : d.replicaList() == null ? List.<Deployment.Replica>of() : d.replicaList()) {
                if (r.state().equals("STOPPED")) {
                    continue;
                }
                engines.add(new Engine(r, r.endpoint() == null ? null : byUrl.get(r.endpoint())));
                if (r.endpoint() != null) {
                    ofDeployments.add(r.endpoint());
                }
                if (r.state().equals("READY")) {
                    vendors.merge(d.accelerator().vendor(), new VendorCount(d.accelerator().vendor(), 1, r.accelerators()),
                            (a, b) -> new VendorCount(a.vendor(), a.engines() + 1, a.accelerators() + b.accelerators()));
                }
            }
            groups.add(new Group(d, engines));
        }
        List<GatewayApi.Endpoint> statics = seen.orElse(List.of()).stream().filter(e -> !ofDeployments.contains(e.endpoint())).toList();
        Map<String, Long> health = new TreeMap<>();
        seen.orElse(List.of()).forEach(e -> health.merge(e.health(), 1L, Long::sum));

        ModelAndView view = new ModelAndView(template);
        view.addObject("groups", groups);
        view.addObject("statics", statics);
        view.addObject("vendors", vendors.values());
        view.addObject("health", health);
        view.addObject("gatewaySeen", seen.isPresent());
        return view;
    }
}
