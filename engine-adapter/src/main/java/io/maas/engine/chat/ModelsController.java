package io.maas.engine.chat;

import io.maas.api.openai.ModelList;
import io.maas.engine.runtime.ManagedEngine;
import io.maas.engine.runtime.ModelInfo;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: the one model this engine serves. */
@RestController
class ModelsController {

    private final ManagedEngine engines;

    ModelsController(ManagedEngine engines) {
        this.engines = engines;
    }

    @GetMapping("/v1/models")
    ModelList models() {
        ModelInfo model = engines.ready().model();
        return ModelList.of(List.of(ModelList.Model.of(model.name(), model.loadedAt().getEpochSecond(), "maas")));
    }
}
