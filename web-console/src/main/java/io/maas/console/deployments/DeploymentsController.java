package io.maas.console.deployments;

import io.maas.console.economics.Economics;
import io.maas.console.system.ApiProblem;
import io.maas.console.system.TenantApi;
import jakarta.servlet.http.HttpServletRequest;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Private deployments for the platform admin: the list; create from the catalog with a live fit
 * preview ({@code POST /deployments/plan}, asked by htmx as the form changes: fits or not, the
 * per-device memory breakdown, what one-click would choose); each deployment's state, replicas and
 * events, refreshed in place while it moves ({@code GET /deployments/{id}/status}); scale and delete;
 * its cost, revenue and margin this month.
 */
@Controller
@RequestMapping("/deployments")
class DeploymentsController {

    record CatalogEntry(String id, String name, String architecture, long totalParams, long activeParams, int contextLength,
                        List<String> precisions, boolean reasoning, Weights weights) {
    }

    record Weights(String source, String path, boolean missing) {
    }

    record Tenant(UUID id, String name, String status) {
    }

    /** What creating would deploy, as {@code /api/v1/deployments/plan} answers. */
    record Plan(String name, UUID tenantId, String model, String servedModelName, String target, String runtime,
                Deployment.Accelerator accelerator, String precision, int contextLength, int replicas, Fit fit, String choice) {
    }

    /** The preview fragment's content: a plan, or the refusal with the fit it was refused on (when there was one). */
    record Preview(Plan plan, Fit refusedFit, String error, String field, boolean suggestedName) {
    }

    static final List<String> RUNTIMES = List.of("simulated", "llamacpp", "vllm", "vllm-ascend", "mindie", "vllm-kunlun");
    static final List<String> VENDORS = List.of("nvidia", "ascend", "kunlun", "cpu");
    private static final Map<String, String> FORM_FIELDS = Map.of("accelerator.vendor", "vendor", "accelerator.type", "acceleratorType",
            "accelerator.countPerReplica", "countPerReplica", "accelerator", "vendor", "costPerAcceleratorHour.amount", "costAmount",
            "costPerAcceleratorHour.currency", "costAmount", "costPerAcceleratorHour", "costAmount");
    private static final ParameterizedTypeReference<List<Deployment>> DEPLOYMENTS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Deployment.Event>> EVENTS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<CatalogEntry>> CATALOG = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Tenant>> TENANTS = new ParameterizedTypeReference<>() { };
    private static final int EVENTS_SHOWN = 30;

    private final TenantApi api;
    private final Economics economics;
    private final JsonMapper json;

    DeploymentsController(TenantApi api, Economics economics, JsonMapper json) {
        this.api = api;
        this.economics = economics;
        this.json = json;
    }

    @GetMapping
    ModelAndView list() {
        return listView(new DeploymentForm(Map.of("replicas", "1", "target", "local")), Map.of(), HttpStatus.OK);
    }

    /** The list's rows alone, which the list page asks for every few seconds while a deployment moves. */
    @GetMapping("/rows")
    ModelAndView rows() {
        ModelAndView view = new ModelAndView("deployments/list :: rows");
        addRows(view);
        return view;
    }

    @PostMapping("/plan")
    ModelAndView plan(@RequestParam Map<String, String> fields) {
        DeploymentForm form = new DeploymentForm(fields);
        ModelAndView view = new ModelAndView("deployments/list :: preview");
        view.addObject("preview", preview(form));
        return view;
    }

    @PostMapping
    ModelAndView create(@RequestParam Map<String, String> fields) {
        DeploymentForm form = new DeploymentForm(fields);
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, Object> body = form.body(form.get("name"), errors);
        if (!errors.isEmpty()) {
            return listView(form, errors, HttpStatus.BAD_REQUEST);
        }
        try {
            Deployment created = api.post(body, Deployment.class, "/api/v1/deployments");
            return new ModelAndView("redirect:/deployments/" + created.id());
        } catch (ApiProblem problem) {
            return listView(form, formErrors(problem, "name"), HttpStatus.valueOf(problem.status()));
        }
    }

    @GetMapping("/{id}")
    ModelAndView detail(@PathVariable UUID id) {
        ModelAndView view = new ModelAndView("deployments/detail");
        addStatus(view, id);
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        List<Economics.Day> days = economics.month(month).stream().filter(d -> d.deploymentId().equals(id)).toList();
        view.addObject("month", month);
        view.addObject("economicsDays", days);
        view.addObject("economicsTotal", Economics.totals(days).get(id));
        return view;
    }

    /** The state, replicas and events alone: what the detail page swaps in while the deployment moves. */
    @GetMapping("/{id}/status")
    ModelAndView status(@PathVariable UUID id) {
        ModelAndView view = new ModelAndView("deployments/detail :: status");
        addStatus(view, id);
        return view;
    }

    @PostMapping("/{id}/scale")
    ModelAndView scale(@PathVariable UUID id, @RequestParam String replicas, HttpServletRequest request) {
        String error = null;
        try {
            api.send(HttpMethod.PATCH, Map.of("replicas", Integer.parseInt(replicas.strip())), "/api/v1/deployments/{id}", id);
        } catch (NumberFormatException e) {
            error = "replicas must be a whole number, was '" + replicas + "'";
        } catch (ApiProblem problem) {
            if (problem.status() == 404) {
                throw problem;
            }
            error = problem.getMessage();
        }
        return afterChange(id, error, request);
    }

    @PostMapping("/{id}/delete")
    ModelAndView delete(@PathVariable UUID id, HttpServletRequest request) {
        api.send(HttpMethod.DELETE, null, "/api/v1/deployments/{id}", id);
        return afterChange(id, null, request);
    }

    /** htmx swaps the status in place; a plain form post goes back to the page. */
    private ModelAndView afterChange(UUID id, String error, HttpServletRequest request) {
        if (request.getHeader("HX-Request") == null) {
            if (error != null) {
                ModelAndView view = detail(id);
                view.addObject("scaleError", error);
                view.setStatus(HttpStatus.BAD_REQUEST);
                return view;
            }
            return new ModelAndView("redirect:/deployments/" + id);
        }
        ModelAndView view = status(id);
        view.addObject("scaleError", error);
        return view;
    }

    private void addStatus(ModelAndView view, UUID id) {
        Deployment deployment = api.get(Deployment.class, "/api/v1/deployments/{id}", id);
        List<Deployment.Event> events = api.get(EVENTS, "/api/v1/deployments/{id}/events", id);
        view.addObject("d", deployment);
        view.addObject("events", events.reversed().stream().limit(EVENTS_SHOWN).toList());
        view.addObject("tenantName", deployment.tenantId() == null ? null
                : api.get(Tenant.class, "/api/v1/tenants/{id}", deployment.tenantId()).name());
        view.addObject("choice", deployment.fit() == null ? null : deployment.fit().path("choice").asString(null));
        view.addObject("fit", deployment.fit() == null || !deployment.fit().hasNonNull("report") ? null : fit(deployment.fit().get("report")));
    }

    private ModelAndView listView(DeploymentForm form, Map<String, String> errors, HttpStatus status) {
        ModelAndView view = new ModelAndView("deployments/list", status);
        addRows(view);
        view.addObject("catalog", api.get(CATALOG, "/api/v1/catalog"));
        view.addObject("runtimes", RUNTIMES);
        view.addObject("vendors", VENDORS);
        view.addObject("form", form.fields());
        view.addObject("errors", errors);
        return view;
    }

    private void addRows(ModelAndView view) {
        List<Deployment> deployments = api.get(DEPLOYMENTS, "/api/v1/deployments").stream()
                .filter(d -> !d.state().equals("DELETED")).toList();
        Map<UUID, String> tenants = new LinkedHashMap<>();
        List<Tenant> all = api.get(TENANTS, "/api/v1/tenants");
        all.forEach(t -> tenants.put(t.id(), t.name()));
        view.addObject("deployments", deployments);
        view.addObject("tenants", tenants);
        view.addObject("activeTenants", all.stream().filter(t -> t.status().equals("ACTIVE")).toList());
        view.addObject("moving", deployments.stream().anyMatch(Deployment::moving));
    }

    private Preview preview(DeploymentForm form) {
        if (form.get("model").isEmpty()) {
            return new Preview(null, null, null, null, false);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, Object> body = form.body(form.nameOrSuggestion(), errors);
        if (!errors.isEmpty()) {
            var first = errors.entrySet().iterator().next();
            return new Preview(null, null, first.getValue(), first.getKey(), false);
        }
        try {
            return new Preview(api.post(body, Plan.class, "/api/v1/deployments/plan"), null, null, null, form.get("name").isEmpty());
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401) {
                throw problem;
            }
            String field = problem.fieldErrors().keySet().stream().findFirst().orElse(null);
            return new Preview(null, problem.extension("fit").map(this::fit).orElse(null), problem.getMessage(),
                    field == null ? null : FORM_FIELDS.getOrDefault(field, field), false);
        }
    }

    private Fit fit(JsonNode node) {
        return json.treeToValue(node, Fit.class);
    }

    private static Map<String, String> formErrors(ApiProblem problem, String fallback) {
        Map<String, String> errors = new LinkedHashMap<>();
        problem.onField(fallback).forEach((field, message) -> errors.merge(FORM_FIELDS.getOrDefault(field, field), message, (a, b) -> a + "; " + b));
        return errors;
    }
}
