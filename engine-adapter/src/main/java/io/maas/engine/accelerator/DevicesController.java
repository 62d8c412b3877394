package io.maas.engine.accelerator;

import io.maas.accelerators.NodeDevices;
import io.maas.accelerators.DeviceInventory;
import io.maas.api.openai.ApiError;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /engine/devices}: the devices of this node, as {@code ./platform devices --json} prints them. */
@RestController
class DevicesController {

    private final DeviceInventory inventory;

    DevicesController(DeviceInventory inventory) {
        this.inventory = inventory;
    }

    /** 200 with the device array; 503 in OpenAI's error shape, naming the failed tools, when a vendor tool failed. */
    @GetMapping("/engine/devices")
    ResponseEntity<?> devices() {
        NodeDevices node = inventory.discover();
        if (!node.errors().isEmpty()) {
            ApiError error = ApiError.ENGINE_UNAVAILABLE;
            return ResponseEntity.status(error.status()).body(error.response(String.join("; ", node.errors()), null));
        }
        return ResponseEntity.ok(node.devices());
    }
}
