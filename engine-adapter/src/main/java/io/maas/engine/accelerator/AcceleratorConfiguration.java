package io.maas.engine.accelerator;

import io.maas.accelerators.DeviceInventory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AcceleratorConfiguration {

    @Bean
    DeviceInventory deviceInventory() {
        return DeviceInventory.onThisNode();
    }
}
