package io.maas.engine.accelerator;

import io.maas.accelerators.DeviceInventory;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.maas.api.accelerator.AcceleratorProvider;
import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.KubernetesPlacement;
import io.maas.api.accelerator.LaunchCommand;
import io.maas.api.accelerator.Precision;
import io.maas.api.accelerator.ToolRunner;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(DevicesController.class)
class DevicesControllerTests {

    /** Answers the first discovery with two GPUs and the second with a failed tool. */
    static final class ScriptedProvider implements AcceleratorProvider {
        private int calls;

        @Override
        public String id() {
            return "nvidia";
        }

        @Override
        public synchronized List<Device> discover(ToolRunner tools) {
            if (calls++ > 0) {
                throw new DiscoveryException("nvidia-smi", "exited with code 9: NVIDIA-SMI has failed");
            }
            return List.of(new Device("nvidia", 0, "NVIDIA H200", 143771, 1024L, 3, "0000:9a:00.0", DeviceHealth.OK),
                    new Device("nvidia", 1, "NVIDIA H200", 143771, null, null, "0000:ab:00.0", DeviceHealth.WARNING));
        }

        @Override
        public KubernetesPlacement kubernetesPlacement(String deviceName) {
            return new KubernetesPlacement("nvidia.com/gpu", Map.of());
        }

        @Override
        public Set<Precision> precisions(String deviceName) {
            return Set.of();
        }

        @Override
        public List<String> engines() {
            return List.of();
        }

        @Override
        public LaunchCommand launchCommand(EngineLaunchSpec spec) {
            throw new UnsupportedOperationException();
        }
    }

    @TestConfiguration
    static class Inventory {
        @Bean
        DeviceInventory deviceInventory() {
            return new DeviceInventory(List.of(new ScriptedProvider()), (tool, args) -> Optional.empty());
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void devicesThenATheFailedToolAs503() throws Exception {
        mvc.perform(get("/engine/devices"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].vendor").value("nvidia"))
                .andExpect(jsonPath("$[0].memoryTotalMiB").value(143771))
                .andExpect(jsonPath("$[0].memoryUsedMiB").value(1024))
                .andExpect(jsonPath("$[0].utilizationPercent").value(3))
                .andExpect(jsonPath("$[0].busId").value("0000:9a:00.0"))
                .andExpect(jsonPath("$[1].health").value("warning"))
                .andExpect(jsonPath("$[1].memoryUsedMiB").doesNotExist());

        mvc.perform(get("/engine/devices"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.error.type").value("server_error"))
                .andExpect(jsonPath("$.error.message").value("nvidia-smi: exited with code 9: NVIDIA-SMI has failed"));
    }
}
