package io.maas.tenant.deployment;

import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/deployments}; who may do what is written on {@link Deployments}. */
@RestController
@RequestMapping("/api/v1/deployments")
class DeploymentController {

    private final Deployments deployments;

    DeploymentController(Deployments deployments) {
        this.deployments = deployments;
    }

    /** 201 with the deployment as stored (PENDING); it moves on as the reconciler works: poll GET or the events. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    DeploymentView create(@RequestBody DeploymentRequest request) {
        return deployments.create(request);
    }

    /** 200 with what {@code POST} would deploy (the fit's per-device breakdown and one-click's choice), or its refusal; stores nothing. */
    @PostMapping("/plan")
    DeploymentPlanView plan(@RequestBody DeploymentRequest request) {
        return deployments.plan(request);
    }

    @GetMapping
    List<DeploymentView> list() {
        return deployments.list();
    }

    @GetMapping("/{id}")
    DeploymentView get(@PathVariable UUID id) {
        return deployments.get(id);
    }

    @PatchMapping("/{id}")
    DeploymentView patch(@PathVariable UUID id, @RequestBody DeploymentRequest.Patch patch) {
        return deployments.patch(id, patch);
    }

    /** 202: the deployment is DELETING; its replicas drain, then stop, and it becomes DELETED. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeploymentView delete(@PathVariable UUID id) {
        return deployments.delete(id);
    }

    @GetMapping("/{id}/events")
    List<DeploymentView.EventView> events(@PathVariable UUID id) {
        return deployments.events(id);
    }
}
