package io.maas.engine.status;

import io.maas.api.engine.EngineStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /engine/status} (JSON, {@link EngineStatus}) for the gateway's routing, and {@code GET /metrics}
 * in Prometheus' text format with vLLM's metric names, so that dashboards made for vLLM work. Both
 * answer 200 in every state of the engine; {@code state} says whether it serves.
 */
@RestController
class StatusController {

    private final EngineStatusReport report;

    StatusController(EngineStatusReport report) {
        this.report = report;
    }

    @GetMapping("/engine/status")
    EngineStatus status() {
        return report.status();
    }

    @GetMapping("/metrics")
    ResponseEntity<String> metrics() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(VllmMetricsText.CONTENT_TYPE))
                .body(VllmMetricsText.render(report.snapshot()));
    }
}
